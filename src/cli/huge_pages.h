// Large indicator lists and event batches are millions of small allocations; on Linux with
// transparent huge pages in "madvise" mode, first touches of fresh heap memory then cost one page
// fault per 4 KB (a third of the time to load 100,000 indicators was spent in the kernel). glibc
// (2.35 and later) can advise its heaps for huge pages, but only through the GLIBC_TUNABLES
// environment variable read at process start: the heavy commands therefore start themselves
// again once with glibc.malloc.hugetlb=1 set. A tunable the user set is left alone.
#pragma once

namespace ashiato::cli {

// Returns only if nothing was done (not a heavy command, tunables already set, no THP in
// madvise mode, or the restart failed); otherwise the process image is replaced.
void restart_with_huge_page_heap(int argc, char** argv);

}  // namespace ashiato::cli
