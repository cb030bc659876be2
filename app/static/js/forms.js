/* Form behaviour: busy submit buttons, paired range sliders, the values stepper. */
