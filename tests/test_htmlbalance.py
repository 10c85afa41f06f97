# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The end-tag repair before libxml2 (``cleaner.htmlbalance``): what it writes, what it leaves."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.htmlbalance import close_blocks
from cleaner.htmlparse import parse


def parent_of_paragraph(html: str) -> list[str]:
    root, _ = parse(html)
    assert root is not None
    paragraph = root.find(".//p")
    chain = []
    element = paragraph.getparent()
    while element is not None:
        chain.append(element.tag)
        element = element.getparent()
    return chain


def test_balanced_div_tags_are_not_read():
    page = "<header><div>menu</header><p>text</p></div>"  # one open, one close
    assert close_blocks(page) is page


def test_a_containers_end_tag_closes_the_divs_opened_inside_it():
    page = "<body><header><div class='bar'><div>menu</div></header><p>The article.</p></body>"
    fixed = close_blocks(page)
    assert fixed == ("<body><header><div class='bar'><div>menu</div></div></header>"
                     "<p>The article.</p></body>")
    assert "header" in parent_of_paragraph(page)  # libxml2 alone keeps the header open
    assert "header" not in parent_of_paragraph(fixed)


def test_everything_opened_inside_is_closed_in_order():
    page = "<nav><ul><li><div><span>a</nav><p>text</p>"
    assert close_blocks(page) == "<nav><ul><li><div><span>a</span></div></li></ul></nav><p>text</p>"


def test_other_end_tags_are_left_to_the_parser():
    # </span> with a <div> open inside it: HTML5 and libxml2 both ignore it.
    page = "<span><div>a</span>b<p>c</p>"
    assert close_blocks(page) == page
    # A table's end tags outrank <div> in libxml2 too.
    page = "<table><tr><td><div>a</td></tr></table><p>b</p>"
    assert close_blocks(page) == page


def test_text_inside_scripts_and_comments_is_not_read_as_tags():
    page = ("<header><div>a<script>var s = '</header>';</script><!-- </header> -->"
            "</header><p>b</p>")
    assert close_blocks(page) == (
        "<header><div>a<script>var s = '</header>';</script><!-- </header> -->"
        "</div></header><p>b</p>"
    )


def test_an_end_tag_with_no_open_element_changes_nothing():
    page = "<div><div>a</div></section><p>b</p>"
    assert close_blocks(page) == page


_TAGS = st.sampled_from([
    "<div>", "</div>", "<header>", "</header>", "<nav>", "</nav>", "<button>", "</button>",
    "<p>", "</p>", "<span>", "</span>", "<li>", "</li>", "<ul>", "</ul>", "<table>", "<td>",
    "</td>", "</table>", "<br>", "<!-- </nav> -->", "<script>'</div>'</script>", "text ",
])


@settings(max_examples=300)
@given(st.lists(_TAGS, max_size=40))
def test_only_end_tags_are_added_and_a_second_pass_adds_none(pieces):
    page = "".join(pieces)
    fixed = close_blocks(page)
    # The page is a subsequence of the repaired one, and what was added is end tags.
    rest = iter(fixed)
    assert all(char in rest for char in page)
    added = len(fixed) - len(page)
    assert added >= 0
    assert fixed.count("</") - page.count("</") == fixed.count("<") - page.count("<")
    again = close_blocks(fixed)
    assert again == fixed


def test_a_list_item_closes_the_div_left_open_in_the_item_before():
    page = "<ul><li><div>one<li>two</ul><p>after</p>"
    fixed = close_blocks(page)
    assert fixed == "<ul><li><div>one</div></li><li>two</ul><p>after</p>"
    root, _ = parse(fixed)
    assert root is not None
    assert [len(li.findall(".//li")) for li in root.iter("li")] == [0, 0]  # siblings, not nested


def test_a_tag_start_without_an_end_is_read_in_linear_time():
    # A "<a" with no ">" after it: a tag pattern allowed to run to the next ">" read the rest
    # of the page again for each "<" that follows.
    import time

    page = "<div>" + "<a" * 200_000
    start = time.perf_counter()
    assert close_blocks(page) == page
    assert time.perf_counter() - start < 2.0


def test_a_self_closed_div_is_not_left_open():
    # libxml2 closes "<div/>" at once: counting it open would close an outer <div> too early.
    page = "<div class='page'><header><div/><div>menu</header><p>text</p></div>"
    assert close_blocks(page) == (
        "<div class='page'><header><div/><div>menu</div></header><p>text</p></div>"
    )


def test_div_strings_in_scripts_and_comments_do_not_count():
    # A script writing markup unbalances a plain count of "<div"; the tags outside balance.
    page = ("<header><div>menu</div></header><script>el.innerHTML = '<div>';</script>"
            "<!-- <DIV> --><p>text</p>")
    assert close_blocks(page) is page
    # A real unclosed <div> next to such a script is still repaired.
    page = "<header><div>menu</header><script>x = '<div><div>';</script><p>text</p>"
    assert close_blocks(page) == (
        "<header><div>menu</div></header><script>x = '<div><div>';</script><p>text</p>"
    )
