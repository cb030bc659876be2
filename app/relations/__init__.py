"""Relations between members (blocks, matches, who knows whom): the layer below the
features that many of them read. No blueprint, no pages."""
