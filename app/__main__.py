"""`python -m app` runs the `reviewdesk` command."""

from app.cli import main

raise SystemExit(main())
