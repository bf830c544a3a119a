"""python -m budgetgen.cli …"""

from . import main

main()
