#include "sitrep/tui.h"
int tui_run(struct app *a) { (void)a; return 2; }
