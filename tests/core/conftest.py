"""Figures the durability tests measure, printed at the end of the run."""

FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("durability figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
