"""The platform error catalogue (``rules/diagnose/``) and matching messages against it:
shared by ``csmlint diagnose`` and by the engine, which reports the messages of a linted
Validate/Prepare response that attach to no deployment (:mod:`.validation`)."""
