"""`python -m indexer …` is the same as the `jiaoliu` command."""

from .cli import main

raise SystemExit(main())
