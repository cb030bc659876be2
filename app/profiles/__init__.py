"""Member profiles (个人资料): what a verified member tells about themselves and wants.

Gender and birth date come from the approved verification case, education from the
verified education fact; a member never types them. The member-facing pages come
later; for now the model and the loader that feeds the matcher.
"""
