"""python -m budgetgen …: the same as the budgetgen command."""

from .cli import main

main()
