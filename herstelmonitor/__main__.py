from herstelmonitor.cli import main

raise SystemExit(main())
