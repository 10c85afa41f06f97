# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""One unit test group per rule kind, independent of the shipped packs' wording."""

from __future__ import annotations

import pytest

from cleaner import Cleaner


def pack(tmp_path, body: str) -> Cleaner:
    path = tmp_path / "k.toml"
    path.write_text(
        "[[rule]]\ncode = 'TST001'\nname = 't'\ncategory = 'test'\ndescription = 'd'\n" + body,
        encoding="utf-8",
    )
    return Cleaner(rule_files=[path], select=["TST001"])


def removed(cleaner: Cleaner, text: str) -> list[int]:
    return [r.line for r in cleaner.clean(text).removed]


def test_line_kind_respects_zone_length_and_triggers(tmp_path):
    c = pack(tmp_path, "kind = 'line'\nzone = 'head'\nzone_size = 2\nmax_length = 10\n"
                       "triggers = ['foo']\npattern = '^foo'\n")
    assert removed(c, "foo\nbody\nbody\nfoo") == [1]       # fourth block is outside the head
    # zones count the blocks still standing: once two go, the third is in the head
    assert removed(c, "foo\nfoo\nfoo") == [1, 2, 3]
    assert removed(c, "foo bar baz qux") == []              # longer than max_length
    c2 = pack(tmp_path, "kind = 'line'\nzone = 'tail'\nzone_size = 1\npattern = '^x$'\n")
    assert removed(c2, "x\nbody\nx") == [3]


def test_line_kind_metadata_needs_a_value_group(tmp_path):
    with pytest.raises(Exception, match=r"\(\?P<value>"):
        pack(tmp_path, "kind = 'line'\nmetadata = 'k'\npattern = '^x$'\n")
    c = pack(tmp_path, "kind = 'line'\nmetadata = 'k'\npattern = '^via (?P<value>.+)$'\n")
    assert c.clean("via Wire Service").metadata == {"k": "Wire Service"}


def test_line_kind_skip_fragments_leaves_a_wrapped_paragraphs_tail(tmp_path):
    c = pack(tmp_path, "kind = 'line'\nskip_fragments = true\n"
                       "pattern = '^(?i)\\W*read more\\W*$'\n")
    assert removed(c, "Read more") == [1]
    assert removed(c, "Read more.") == [1]                 # a button label may end in a stop
    assert removed(c, "read more.") == []                  # the last words of a sentence
    assert removed(c, "read more") == [1]                  # no clause ends: still a label
    plain = pack(tmp_path, "kind = 'line'\npattern = '^(?i)\\W*read more\\W*$'\n")
    assert removed(plain, "read more.") == [1]
    with pytest.raises(Exception, match="anchored with '\\^'"):
        pack(tmp_path, "kind = 'line'\nskip_fragments = true\npattern = 'read more'\n")


def test_line_kind_parts_each_meet_the_lines_of_their_own_triggers(tmp_path):
    c = pack(tmp_path, "kind = 'line'\nmax_length = 60\n"
                       "[[rule.parts]]\ntriggers = ['follow']\npattern = '^(?i)follow us\\W*$'\n"
                       "[[rule.parts]]\ntriggers = ['share']\npattern = '^(?i)share this\\W*$'\n"
                       "max_length = 12\n")
    assert removed(c, "Follow us!\nbody text here\nShare this") == [1, 3]
    assert removed(c, "Share this story") == []            # the part's own pattern
    assert removed(c, "share this      !") == []           # longer than the part's max_length
    result = c.clean("Follow us")
    assert [(r.rule, r.reason) for r in result.removed] == [("TST001", "t")]
    # each part is gated by its own literals: the second part never meets "follow" lines
    only = pack(tmp_path, "kind = 'line'\n[[rule.parts]]\ntriggers = ['share']\n"
                          "pattern = '^(?i)(?:share|follow) us$'\n")
    assert removed(only, "Follow us") == []
    assert removed(only, "Share us") == [1]


def test_line_kind_parts_are_checked_like_rules(tmp_path):
    with pytest.raises(Exception, match="not beside them"):
        pack(tmp_path, "kind = 'line'\npattern = '^x$'\n[[rule.parts]]\npattern = '^y$'\n")
    with pytest.raises(Exception, match=r"unknown key\(s\) for parts\[1\]: zone"):
        pack(tmp_path, "kind = 'line'\n[[rule.parts]]\npattern = '^y$'\nzone = 'head'\n")
    with pytest.raises(Exception, match=r"parts\[2\]\.pattern' must be given"):
        pack(tmp_path, "kind = 'line'\n[[rule.parts]]\npattern = '^y$'\n"
                       "[[rule.parts]]\ntriggers = ['y']\n")
    with pytest.raises(Exception, match=r"parts\[1\]\.triggers' must be non-empty lowercase"):
        pack(tmp_path, "kind = 'line'\n[[rule.parts]]\npattern = '^y$'\ntriggers = ['Y']\n")
    with pytest.raises(Exception, match=r"parts\[1\]\.pattern' must be a pattern with a"):
        pack(tmp_path, "kind = 'line'\nmetadata = 'k'\n[[rule.parts]]\npattern = '^y$'\n")
    c = pack(tmp_path, "kind = 'line'\nmetadata = 'k'\n[[rule.parts]]\n"
                       "pattern = '^via (?P<value>.+)$'\n[[rule.parts]]\n"
                       "pattern = '^from (?P<value>.+)$'\n")
    assert c.clean("from Wire Service").metadata == {"k": "Wire Service"}


def test_phrase_kind_needs_score_share_and_marker(tmp_path):
    c = pack(tmp_path, "kind = 'phrase'\nphrases = ['Join Name today']\n"
                       "vocabulary = ['join today the club']\nmarkers = ['join']\n"
                       "min_share = 0.75\n")
    assert removed(c, "Join The Ramblers today") == [1]
    assert removed(c, "Join the Hikers Club today!") == [1]
    # a marker and the phrase, but mostly other words: body text
    long_line = "Join The Ramblers today, said the mayor, who walks every single weekend"
    assert removed(c, long_line) == []
    c2 = pack(tmp_path, "kind = 'phrase'\nphrases = ['Join Name today']\nmarkers = ['you']\n")
    assert removed(c2, "Join The Ramblers today") == []    # nobody addressed


def test_caption_kind_needs_caption_text_beside_the_credit(tmp_path):
    c = pack(tmp_path, "kind = 'caption'\ncredit = '\\s+-\\s+\\w+/AFP$'\nmin_caption = 10\n")
    assert removed(c, "Soldiers at the border - Jane/AFP") == [1]
    assert removed(c, "Hi - Jane/AFP") == []


def test_title_echo_kind(tmp_path):
    c = pack(tmp_path, "kind = 'title-echo'\nzone = 'head'\nzone_size = 4\nmin_score = 95\n")
    assert removed(c, "A Headline Here\nA headline here\nBody.") == [2]
    assert removed(c, "A Headline Here\nBody one.\nBody two.\nBody three.\nA headline here") == []
    assert removed(c, "A sentence, not a title.\nA sentence, not a title.") == []
    # The page title carries the site after the headline, even where the headline ends in a
    # quote or a question mark (which the title's comparison key leaves out).
    for headline in ("# Mayor says the old bridge 'will not reopen this year'",
                     "# Will the old bridge across the river ever reopen?"):
        text = f"{headline}\n{headline[2:]} | The Daily News\nBody."
        assert removed(c, text) == [2], headline
    assert removed(c, "# Will the old bridge across the river ever reopen?\n"
                      "Will the old bridge across the river ever reopen? Nobody knows.") == []
    # After the headline's own mark, only a site's name: a dek answering after a dash stays.
    assert removed(c, "# Is it safe to eat raw cookie dough?\nIs it safe to eat raw cookie "
                      "dough? - the short answer is no, for most people\nBody.") == []


def test_hashtag_kind_generic_and_from_title(tmp_path):
    c = pack(tmp_path, "kind = 'hashtags'\nmin_tags = 3\n")
    assert removed(c, "Body.\n#a #b #c") == [2]
    assert removed(c, "Body.\n#a #b and some words around them") == []
    t = pack(tmp_path, "kind = 'hashtags'\nmin_tags = 2\nfrom_title = true\n")
    assert removed(t, "Storm Hits Coast\nBody.\n#StormHits #Coast") == [3]
    assert removed(t, "Storm Hits Coast\nBody.\n#Elections #Vote") == []


def test_near_duplicate_kind_is_windowed_and_number_aware(tmp_path):
    c = pack(tmp_path, "kind = 'near-duplicate'\nwindow = 2\nmin_length = 5\n"
                       "plain_min_length = 10\n")
    para = "The same paragraph printed twice."
    assert removed(c, f"{para}\nOther.\n{para}") == [3]
    assert removed(c, f"{para}\nA.\nB.\nC.\n{para}") == []   # outside the window
    assert removed(c, "Costs 10 dollars today.\nCosts 12 dollars today.") == []


def test_user_pattern_timeout_is_reported_not_hung(tmp_path):
    c = pack(tmp_path, "kind = 'line'\nmax_length = 100000\npattern = '^(a|aa)+$'\n")
    c = Cleaner(rule_files=c.settings["rule_files"], select=["TST001"], regex_timeout=0.01)
    result = c.clean("a" * 60 + "b")
    assert result.removed == ()
    assert any("TST001" in w and "timed out on line 1" in w for w in result.warnings)


def test_main_region_keeps_text_written_without_spaces():
    # Japanese has no spaces between words: body lines must not read as one-word menus.
    menu = ["ホーム", "ニュース", "スポーツ", "経済", "政治",
            "国際", "文化", "天気", "動画", "特集"]
    body = [
        "東京都は火曜日、老朽化した橋を修理のため閉鎖すると発表した。",
        "点検で二本の橋脚にひびが見つかり、専門家は早急な対応が必要だと指摘している。",
        "工事は三月に始まり、夏の終わりまで続く見通しだと交通局は説明した。",
    ]
    text = "\n".join(menu * 3 + body + menu * 2)
    from cleaner import Cleaner

    result = Cleaner(select=["NAV001"]).clean(text)
    kept = result.text.split("\n")
    assert all(line in kept for line in body)
    assert sum(line in kept for line in menu) < len(menu)  # the menus did go


def test_main_region_keeps_the_short_lines_a_lead_in_announces():
    # A release note opens with "What's new in 2.26?" and a list of short items, then prose:
    # menu-shaped lines, but under a question that leads into the text, not a menu.
    menu = [f"Section {name}" for name in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] * 2
    lead = ["What's new in version 2.26 (September pack)?", "New tasks for the game!",
            "Better Android support", "Bugs fixed"]
    body = [
        "The September pack adds forty new tasks, and the Android version now runs on "
        "older phones without the crashes players reported over the summer months.",
        "Players who bought the game before the update receive the pack free of charge, "
        "the studio said, and the next pack is planned for the first week of December.",
    ]
    labelled = ["Edition:", "International", "News"]  # a label is not a lead-in
    for before, kept in ((lead, True), (labelled, False)):
        result = Cleaner(select=["NAV001"]).clean("\n".join(menu + before + body + menu))
        lines = result.text.split("\n")
        assert all(line in lines for line in body)
        assert all(line in lines for line in before[1:]) is kept
        assert not any(line in lines for line in menu)


def test_main_region_reaches_a_section_past_a_table_but_not_prose_past_a_long_menu():
    # A review: two sections of prose with a table of specifications between them; the
    # table costs the best run more than one section earns, yet the other section earns
    # half of it, so both sections and the table are the text. Prose past a long menu (a
    # footer's blurb) earns a small share of what the menu costs and stays outside.
    menu = [f"Section {name}" for name in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] * 2
    paragraph = ("The council voted on Tuesday to close the old bridge for repairs after an "
                 "inspection found cracks in two of its piers, and engineers urged action.")
    first = [f"{paragraph} ({n})" for n in range(4)]
    second = [f"{paragraph} [{n}]" for n in range(5)]
    table = [f"Pier {n}" if n % 2 else f"{n} cm" for n in range(30)]
    blurb = [f"{paragraph} <{n}>" for n in range(4)]
    result = Cleaner(select=["NAV001"]).clean("\n".join(
        menu + first + table + second + menu + menu + blurb))
    lines = result.text.split("\n")
    assert all(line in lines for line in first + table + second + blurb)
    assert not any(line in lines for line in menu)
    # Without the table's section before it, the table is a run of short lines outside.
    result = Cleaner(select=["NAV001"]).clean("\n".join(menu + first[:1] + table + second + menu))
    assert not any(line in result.text.split("\n") for line in table)


def test_main_region_keeps_a_headline_the_text_marks_as_one():
    # A Markdown scrape opens with the page's headline as "# ...", then the menus it kept:
    # the heading is the headline, not a menu item; an unmarked first line still goes.
    menu = [f"Section {name}" for name in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] * 2
    body = [
        "The council voted on Tuesday to close the old bridge for repairs, after an "
        "inspection found cracks in two of its piers and engineers urged quick action.",
        "Work starts in March and should end before the summer, the transport office said, "
        "and buses will take a detour over the new bridge until the old one reopens.",
    ]
    for first, kept in (("# Council closes the old bridge", True),
                        ("Council closes the old bridge", False)):
        result = Cleaner(select=["NAV001"]).clean("\n".join([first, *menu, *body, *menu]))
        lines = result.text.split("\n")
        assert (first in lines) is kept
        assert all(line in lines for line in body)
        assert not any(line in lines for line in menu)


def test_line_run_kind_counts_runs_and_bounds_them(tmp_path):
    c = pack(tmp_path, "kind = 'line-run'\nmin_run = 2\npattern = '^(?:a|b)$'\n")
    assert removed(c, "a\nbody\nb") == []                   # two lone lines: no run
    assert removed(c, "x\na\nb\na\ny") == [2, 3, 4]
    lone = pack(tmp_path, "kind = 'line-run'\nmin_run = 1\nmax_run = 1\n"
                          "not_after = ':$'\npattern = '^http'\n")
    assert removed(lone, "text\nhttp://a\ntext") == [2]
    assert removed(lone, "text\nhttp://a\nhttp://b\ntext") == []   # a list of links stays
    assert removed(lone, "Download it here:\nhttp://a") == []     # introduced by its line
    tail = pack(tmp_path, "kind = 'line-run'\nmin_run = 1\nzone = 'tail'\nzone_size = 1\n"
                          "pattern = '^x$'\n")
    assert removed(tail, "x\nbody\nx") == [3]
    guarded = pack(tmp_path, "kind = 'line-run'\nmin_run = 2\nguard_run = 3\n"
                             "not_before = '^[a-z]'\npattern = '^[A-Z]$'\n")
    assert removed(guarded, "text\nA\nB\nthen more") == []          # a sentence cut by links
    assert removed(guarded, "text\nA\nB\nC\nD\nthen more") == [2, 3, 4, 5]  # too long for one
    bridged = pack(tmp_path, "kind = 'line-run'\nmin_run = 2\nbridge = '^[.]$'\n"
                             "pattern = '^[A-Z]$'\n")
    assert removed(bridged, "text\nA\n.\nB\n.\ntext") == [2, 3, 4]  # bridges inside only
    assert removed(bridged, "text\nA\n.\ntext\nB") == []          # a bridge is no member


def test_edge_line_kind_judges_the_last_standing_line(tmp_path):
    c = pack(tmp_path, "kind = 'edge-line'\nafter = 10\npattern = '^[A-Z][a-z]+$'\n")
    long = "A paragraph of some length."
    assert removed(c, f"{long}\n{long}\nName") == [3]
    assert removed(c, f"{long}\nName\n{long}") == []             # not the last line
    assert removed(c, f"{long}\nShort\nName") == []              # after a short line: a list
    assert removed(c, f"{long}\n{long}\nOne\nTwo") == []         # "Two" follows a short line
    assert removed(c, "Name") == []                                # no text to sign
    # Judged again on each pass, as cleaning the cleaned text would: without ``after``, the
    # line left last goes too, so the result is already clean.
    both = pack(tmp_path, "kind = 'edge-line'\npattern = '^[A-Z][a-z]+$'\n")
    assert removed(both, f"{long}\n{long}\nOne\nTwo") == [3, 4]
    assert both.clean(both.clean(f"{long}\n{long}\nOne\nTwo").text).removed == ()


def test_teaser_run_needs_furniture_between_it_and_the_text(tmp_path):
    c = Cleaner()
    para = ("The council voted on Tuesday to close the old bridge for repairs, after engineers "
            "found cracks in two of its supporting piers during a routine inspection.")
    teasers = ("Vegan sues burger chain over meat-free patties cooked in fat\n"
               "Two patients diagnosed with plague as officials race to act\n"
               "New car sales plunge 20 percent in October across the region")
    head = "Skip to main content\nMenu\nSearch\n"
    def nav5(text):
        return [r.line for r in c.clean(text).removed if r.rule == "NAV005"]
    assert nav5(f"{head}{para}\n{para}\nMost read\n{teasers}") == [7, 8, 9]
    assert nav5(f"{head}{para}\n{para}\n{teasers}") == []                # the article's list
    assert nav5(f"{head}{para}\n{para}\nMost read\nWhat happens:\n{teasers}") == []  # announced
    assert nav5(f"{para}\n{para}\nMost read\n{teasers}") == []          # too little removed
    # Each teaser under its picture, a linked image a converter left a stray "x" before.
    picture = "*   x[![Image 1](https://example.com/a.jpg)](https://example.com/a)"
    pictured = f"\n{picture}\n".join(teasers.split("\n"))
    # The pictures between the teasers are image lines (CAP004) and do not break the run.
    pictured_text = f"{head}{para}\n{para}\nMost read\n{pictured}"
    assert nav5(pictured_text) == [7, 9, 11]
    assert {r.line for r in c.clean(pictured_text).removed} >= {7, 8, 9, 10, 11}


def test_thread_kind_takes_what_stands_between_close_marks(tmp_path):
    pack(tmp_path, "kind = 'thread'\nmarks = ['TST002']\nmax_gap = 3\nmin_marks = 3\n")
    marks = tmp_path / "marks.toml"  # the controls: a line rule the thread builds on
    marks.write_text("[[rule]]\ncode = 'TST002'\nname = 'm'\ncategory = 'test'\n"
                     "description = 'd'\nkind = 'line'\npattern = '^Reply$'\n", encoding="utf-8")
    c = Cleaner(rule_files=[tmp_path / "k.toml", marks], select=["TST001", "TST002"])

    def thread(text):
        return [r.line for r in c.clean(text).removed if r.rule == "TST001"]

    assert thread("a\nReply\nb\nReply\nc\nd\ne\nReply\nf") == [3]  # only the close pair
    assert thread("a\nReply\nb\nReply\nc") == []                        # two marks: no thread


def test_front_matter_kind_keeps_the_title_and_its_continuation(tmp_path):
    c = pack(tmp_path, "kind = 'front-matter'\n")
    text = "---\ntitle: >-\n  A long headline\n  folded over lines\ndate: 2024-01-01\n" \
           "tags:\n  - a\n---\nBody."
    assert removed(c, text) == [1, 5, 6, 7, 8]
    assert removed(c, "---\ntitle: x\nno closing delimiter\nBody.") == []
    assert removed(c, "---\nJust a rule, then prose.\nMore prose here.\n---\nBody.") == []


def test_markup_views_strip_tags_links_and_entities():
    from cleaner.document import parse
    from cleaner.markup import markup_views

    doc = parse("<p><a href=\"https://x\">Continue reading&hellip;</a></p>\n"
                "[Read original article](https://x/y)\n**Bold** words\n"
                "<The Palace: Jang Noksu>\nplain line")
    views = {i: b.text for i, b in markup_views(doc.blocks, doc.source).items()}
    assert views == {0: "Continue reading…", 1: "Read original article", 2: "Bold words"}
    assert markup_views(parse("no markup here").blocks, "no markup here") == {}


def test_markup_views_read_emphasis_markers_between_words_as_a_space():
    from cleaner.markup import plain_text

    # A converter closed one emphasis and opened the next around a link without a space.
    line = "_Subscribe to Acme's_[_Outbreak newsletter_](https://x/nl)_for a daily roundup._"
    assert plain_text(line) == "Subscribe to Acme's Outbreak newsletter for a daily roundup."
    assert plain_text("the __bold__ word") == "the bold word"
    # Words glued to a link on either side stay words of their own; a row of links stays one.
    assert plain_text("Data provided by[FACTSET](https://x)and subject to terms.") == (
        "Data provided by FACTSET and subject to terms.")
    assert plain_text("[News](https://x/n)[Sport](https://x/s)") == "NewsSport"


def test_line_rules_see_the_text_inside_markup(tmp_path):
    c = pack(tmp_path, "kind = 'line'\nmax_length = 30\ntriggers = ['read']\n"
                       "pattern = '^Read more$'\n")
    # the raw line is longer than max_length and its literal sits inside a link: the text
    # alone is short and matches
    assert removed(c, "Body.\n[Read more](https://example.com/a/very/long/path/to/story)") == [2]
    assert removed(c, "Body.\n<p><a href='https://example.com/a/long/path'>Read more</a></p>") \
        == [2]


def test_label_value_kind_takes_a_label_and_the_values_under_it(tmp_path):
    for triggers in ("triggers = ['photos']\n", ""):  # a user's rule may name none
        c = pack(tmp_path, "kind = 'label-value'\nmax_values = 2\n" + triggers
                 + "label = '''^(?i)photos\\s*:?$'''\nvalue = '''^\\p{Lu}\\w+ \\p{Lu}\\w+$'''\n")
        body = "The bridge closed on Tuesday for repairs to its piers."
        assert removed(c, f"{body}\nPhotos:\nJane Doe\nJohn Roe\n{body}") == [2, 3, 4]
        # The label introduced a sentence broken at its link, not a credit.
        assert removed(c, f"{body}\nPhotos:\nJane Doe\nand her team took the pictures.") == []
        # More names than max_values: a list the text means.
        assert removed(c, f"{body}\nPhotos:\nJane Doe\nJohn Roe\nMary Major\n{body}") == []
        assert removed(c, f"{body}\nPhotos:\n{body}") == []


PARAGRAPH = ("At the meeting the mayor was firm: the council will keep the old bridge closed "
             "until the engineers say it is safe to open again, whatever the cost to traders.")


def test_excerpt_kind_takes_the_shorter_copy_and_leaves_runs_and_heads(tmp_path):
    c = pack(tmp_path, "kind = 'excerpt'\nmin_words = 6\nextra_words = 1\ncoverage = 1.0\n")
    quote = "The council will keep the old bridge closed until the engineers say it is safe"
    # Before or after its paragraph, in quote marks or not, the quote line goes.
    assert removed(c, f"Title line\n\nIntro.\n\n{PARAGRAPH}\n\nMore text.\n\n“{quote}”") == [9]
    assert removed(c, f"Title line\n\nIntro.\n\n{quote}.\n\nMore text.\n\n{PARAGRAPH}") == [5]
    # Its speaker's line goes with it; one word changed keeps both.
    assert removed(c, f"Title\n\nIntro.\n\n{PARAGRAPH}\n\n“{quote}”\n\n— Jane Doe, mayor") == [7, 9]
    assert removed(c, f"Title\n\nIntro.\n\n{PARAGRAPH}\n\n{quote.replace('old', 'new')}.") == []
    # The text's first two lines (a standfirst) and a run of two (a summary) stay.
    assert removed(c, f"{quote}.\n\n{PARAGRAPH}") == []
    second = "whatever the cost to traders"
    assert removed(c, f"Title\n\nIntro.\n\n{quote}.\n\nWe will do it {second}.\n\n{PARAGRAPH}"
                      f" We will do it {second}.") == []


def test_author_box_kind_reads_the_box_from_its_head_below_the_text(tmp_path):
    c = pack(tmp_path, "kind = 'author-box'\nlink = '/author/[a-z-]+'\n")
    head = "[Jane Doe](https://example.com/author/jane-doe/)"
    box = f"{head}\n\nSenior Reporter\n\nJane covers transport and housing for the paper."
    assert removed(c, f"{PARAGRAPH}\n\n{PARAGRAPH}\n\n{box}") == [5, 7, 9]
    # Above the text the same head heads nothing; a line of another kind ends the box.
    assert removed(c, f"{box}\n\n{PARAGRAPH}\n\n{PARAGRAPH}") == []
    assert removed(c, f"{PARAGRAPH}\n\n{PARAGRAPH}\n\n{head}\n\nThe bridge reopens in May.") == []


def test_alt_echo_kind_takes_the_caption_beside_a_picture_only(tmp_path):
    c = pack(tmp_path, "kind = 'alt-echo'\n")
    body = "The council voted on Tuesday to close the old bridge for repairs."
    alt = "Workers walk along the perimeter fence of the old bridge"
    picture = f"![Image 3: {alt}](https://example.com/fence.jpg)"
    assert removed(c, f"{body}\n{picture}\n{alt}.\nThe work starts in March.") == [3]
    linked = f"[![Image 3: {alt}](https://example.com/fence.jpg)](https://example.com/shop)"
    assert removed(c, f"{body}\n{linked}\n{alt}.\nThe work starts in March.") == [3]
    # Above the picture only a line that says it is a caption; a sentence of the text whose
    # words the alt text repeats stays.
    figure = f"![Figure 2. {alt}](https://example.com/f2.png)"
    assert removed(c, f"{body}\nFigure 2. {alt}.\n{figure}\nThe work starts in March.") == [2]
    assert removed(c, f"{body}\n{alt}.\n{picture}\nThe work starts in March.") == []
    # A paragraph copied into the alt text is not a caption, nor is a long line.
    long = ("Workers walk along the perimeter fence of the old bridge every morning, checking "
            "the cracks in the piers and the bolts of the railings before the buses arrive, "
            "and they write down what they see in a logbook the council reads every week "
            "when it decides which repairs come first and which can wait until the spring, "
            "a list that grew longer each year as the money for the bridge ran short and the "
            "engineers warned that the piers would not last another decade without work")
    assert removed(c, f"{body}\n![{long}](x.jpg)\n{long}.\nMore.") == []
    # Not two lines away, not beside a line that also holds text (a teaser card, a sentence).
    assert removed(c, f"{body}\n{picture}\nThe work starts in March.\n{alt}.") == []
    assert removed(c, f"{body}\n{picture} Photo of the week\n{alt}.\nMore text.") == []
    # The alt text must hold nearly all of the line's words, in about as many words.
    assert removed(c, f"{body}\n{picture}\nWorkers walk along the fence at night, then "
                      "go home to their families in the town.\nMore.") == []
    assert removed(c, f"{body}\n![{alt} while the river runs high under its arches after "
                      "a week of rain in the hills](x.jpg)\nWorkers walk along the bridge.\n"
                      "More.") == []


def test_split_copy_reprints_a_paragraph_in_order_and_nearly_whole(tmp_path):
    c = pack(tmp_path, "kind = 'split-copy'\nmin_length = 60\nmin_piece = 10\n")
    para = ("The bridge closes in March for repairs. Engineers found cracks in two piers. "
            "Buses will run every ten minutes.")
    pieces = ["The bridge closes in March for repairs.", "Engineers found cracks in two piers.",
              "Buses will run every ten minutes."]
    assert removed(c, "\n".join([para, *pieces])) == [2, 3, 4]
    assert removed(c, "\n".join([*pieces, para])) == [4]               # pieces first: the whole
    assert removed(c, "\n".join([para, *["> " + p for p in pieces]])) == [2, 3, 4]
    assert removed(c, "\n".join([para, pieces[1], pieces[0]])) == []    # out of order
    assert removed(c, "\n".join([para, pieces[0], pieces[1]])) == []    # a third is missing
    assert removed(c, "\n".join([para, "Something else entirely here.", *pieces])) == []


def test_main_region_keeps_a_numbered_outline_but_not_a_bulleted_menu(tmp_path):
    c = pack(tmp_path, "kind = 'main-region'\n")
    menu = [f"Section {n}" for n in range(45)]
    main = ["The council voted on Tuesday to close the old bridge for repairs, after engineers "
            "found cracks in two of its supporting piers during a routine inspection."] * 3
    outline = ["Table of contents:", "1. Research objectives", "- Scope", "- Assumptions",
               "2. Market overview", "- Drivers", "- Restraints", "3. Outlook"]
    bulleted = ["Sports", "- Baseball", "- Bowling", "- Football", "- Golf", "- Soccer",
                "- Tennis", "- Track", "- Volleyball"]
    text = "\n".join(menu + main + outline + bulleted)
    gone = set(removed(c, text))
    first_outline = len(menu) + len(main) + 1
    outline_lines = range(first_outline + 1, first_outline + len(outline))  # past its heading
    assert all(n in gone for n in range(1, len(menu) + 1))          # the menu above goes
    assert not gone & set(outline_lines)                              # the outline stays
    first_bullet = first_outline + len(outline)
    assert all(n in gone for n in range(first_bullet, first_bullet + len(bulleted)))


def test_main_region_reads_a_hard_wrapped_paragraph_as_prose(tmp_path):
    # Text cut at a fixed width: lines of about 60 characters and fewer than ten words that
    # run on into the next one, which opens in lower case. Read alone each looks like a
    # menu label; read with its neighbours it is a paragraph, and stays.
    c = pack(tmp_path, "kind = 'main-region'\n")
    menu = [f"Section {n}" for n in range(45)]
    wrapped = [
        "The council has voted to close the old iron bridge",
        "for repairs after engineers found deep cracks in",
        "two of the supporting piers during a routine annual",
        "inspection carried out by the county last summer",
        "and the closure is expected to last until early May.",
    ] * 3
    footer = [f"Footer link {n}" for n in range(12)]
    text = "\n".join(menu + wrapped + footer)
    gone = set(removed(c, text))
    start = len(menu) + 1
    assert all(n in gone for n in range(1, len(menu) + 1))            # the menu goes
    assert not gone & set(range(start, start + len(wrapped)))          # the paragraph stays
