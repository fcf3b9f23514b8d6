"""`python -m indexer …` is the same as the `jiaoliu` command."""

from indexer.cli import main

raise SystemExit(main())
