import sys

from cognito_auth_tools.cli import main

sys.exit(main())
