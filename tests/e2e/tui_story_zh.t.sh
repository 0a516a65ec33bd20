# The used-by story of tui_story.t.sh under LANG=zh_CN.UTF-8: every screen
# at 80x24 with Chinese text whole, the Chinese typed kept as typed.
STORY_LANG=zh
. "$SITREP_TOP/tests/e2e/tui_story.t.sh"
