from paperdeck.cli import main

raise SystemExit(main())
