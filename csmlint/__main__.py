"""`python -m csmlint`."""

from csmlint.cli import main

if __name__ == "__main__":
    main()
