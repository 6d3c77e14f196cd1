"""Migration commands' work: ``plan`` (an ordered runbook per migration unit), ``diagnose``
(platform errors explained) and ``fix`` (safe rewrites of ``.cscfg``/``.csdef``). Each command
is a thin file in ``cli/`` over a subpackage here."""
