from thg.cli import main

raise SystemExit(main())
