/* corral-monitor: the per-container process. */
#include <stdio.h>

int main(void)
{
	fputs("corral-monitor: not built yet\n", stderr);
	return 1;
}
