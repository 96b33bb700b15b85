"""Hypothesis strategies for passwords that must reach a server unchanged.

Not imported by `harness` itself: Hypothesis takes a second to import, and
only the property tests need it (`from harness.passwords import PASSWORDS`).
"""

from hypothesis import strategies as st

# Any printable text, always with one of the characters a URL or ConfigParser
# treats specially somewhere in it: passwords that must reach the server
# unchanged.
# (Every character but a surrogate, Cs, is UTF-8: Hypothesis' `codec="utf-8"`
# would add nothing but the five seconds it takes to find that out.)
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)
PASSWORDS = st.builds(
    "{}{}{}".format, TEXT, st.sampled_from("%@:/#? \\\"'[]{}=&+"), TEXT
)
