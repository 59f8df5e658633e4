"""`python -m site_builder` runs the command line."""

import sys

from site_builder.cli import main

sys.exit(main())
