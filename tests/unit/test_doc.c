/* Unit tests of doc: hostile text escaped by both renderers (HTML: a
 * script tag, ampersands, quotes; Markdown: emphasis, links, pipes and
 * line breaks in table cells, a block start that would make a list),
 * figure numbering, a chart embedded or drawn as a box when missing, the
 * end of the memo page, the footer, and nothing written when a chart
 * cannot be read. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/doc.h"
#include "test.h"

static char root[64];

/* The whole of root/rel as a string (static; "" when absent). */
static const char *slurp(const char *rel)
{
    static char buf[1 << 16];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Entries of root other than the given file and charts/: a temporary left
 * behind shows here. */
static int strays(const char *keep)
{
    DIR *dir = opendir(root);
    int n = 0;
    for (struct dirent *e; dir && (e = readdir(dir));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "charts") &&
            strcmp(e->d_name, keep))
            n++;
    if (dir)
        closedir(dir);
    return n;
}

/* How many times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static const char *hostile = "<script>alert(\"x\")</script> & 'q'";

/* A doc with every kind of block, the hostile text in each place. */
static struct doc *sample(void)
{
    struct doc *d = doc_new("a title replaced");
    doc_title(d, "Plan <A> & \"%s\"", "B");
    doc_para_begin(d, DOC_ANSWER);
    doc_text(d, "Adoption reached ");
    doc_strong(d, "12.5%% %s", hostile);
    doc_text(d, " in *bold* _it_ [link](x) a|b\nline two");
    doc_para_end(d);
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "1. not a list, # not a heading");
    doc_code(d, "a`b|c");
    doc_para_end(d);
    doc_item_begin(d);
    doc_text(d, "first");
    doc_item_begin(d);
    doc_text(d, "second");
    doc_para_end(d);
    const char *headers[] = {"City", "Wallets"};
    doc_table_begin(d, 2, headers, "lr");
    doc_cell(d, "Shen|zhen\nnew *line*");
    doc_cell(d, "%d", 1234);
    doc_cell_strong(d, "Total");
    doc_table_end(d); /* the short row is padded */
    doc_figure(d, "adoption", "Adoption by city, %s", hostile);
    doc_figure(d, "latency", "Latency p99 (ms)");
    doc_page_end(d);
    doc_heading(d, 1, "Appendix: every city");
    doc_para_begin(d, DOC_NOTE);
    doc_text(d, "after the page end");
    doc_page_end(d); /* a second one is ignored */
    doc_footer(d, "pilotsim 0.3.0 %s", "commit abc");
    doc_text(d, "\xff bad byte");
    return d;
}

static void test_html(void)
{
    struct doc *d = sample();
    check(d && !doc_failed(d), "a doc built without failure");
    check(doc_figures(d) == 2, "two figures counted");
    put("charts/adoption.svg", "<svg>abc</svg>");
    check(doc_write_html(d, root, stderr) == 0, "report.html written");
    const char *h = slurp("report.html");
    check(count(h, "<script") == 0, "no <script> reaches the page (%d)", count(h, "<script"));
    check(strstr(h, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;") != NULL,
          "script, quotes and ampersand escaped");
    check(strstr(h, "<title>Plan &lt;A&gt; &amp; &quot;B&quot;</title>") != NULL, "title escaped");
    check(strstr(h, "<figcaption><strong>Figure 1.</strong> Adoption by city, &lt;script") &&
              strstr(h, "<figcaption><strong>Figure 2.</strong> Latency p99 (ms)</figcaption>"),
          "figures numbered 1 and 2 in order");
    /* "<svg>abc</svg>" in base64 */
    check(strstr(h, "src=\"data:image/svg+xml;base64,PHN2Zz5hYmM8L3N2Zz4=\"") != NULL,
          "the SVG embedded as a data: URI");
    check(strstr(h, "class=\"missing\"") && strstr(h, "pilotsim plot DIR") &&
              count(h, "class=\"missing\"") == 1,
          "the missing chart drawn as a box saying how to draw it");
    const char *memo = strstr(h, "<section class=\"memo\">");
    const char *app = strstr(h, "<section class=\"appendix\">");
    check(memo && app && memo < app && count(h, "class=\"appendix\"") == 1 &&
              strstr(app, "Appendix: every city") && !strstr(app, "Figure 1."),
          "one appendix, after the memo page, holding what followed doc_page_end");
    check(strstr(h, ".appendix{break-before:page") && strstr(h, "@page{size:A4;margin:15mm}"),
          "print CSS: A4, the appendix on a new page");
    const char *foot = strstr(h, "<footer>");
    check(foot && foot > app && strstr(foot, "pilotsim 0.3.0 commit abc") &&
              strstr(foot, "</footer>\n</body>"),
          "the footer at the end of the page");
    check(strstr(h, "<td class=\"r\">1234</td>") && strstr(h, "<td class=\"l\"><strong>Total"),
          "numbers right-aligned, a strong cell");
    check(strstr(h, "<td class=\"r\"></td></tr>") != NULL, "a short row padded");
    check(strstr(h, "<p class=\"answer\">") && strstr(h, "<p class=\"note\">"),
          "answer and note paragraphs styled");
    check(strstr(h, "\xEF\xBF\xBD bad byte") != NULL, "an invalid byte becomes U+FFFD");
    check(count(h, "://") == 0, "nothing that could be fetched from a network");
    check(strays("report.html") == 0, "no temporary left");
    doc_free(d);
}

static void test_markdown(void)
{
    struct doc *d = sample();
    check(doc_write_markdown(d, root, "memo.md", stderr) == 0, "memo.md written");
    const char *m = slurp("memo.md");
    check(strstr(m, "# Plan \\<A\\> \\& \"B\"\n\n") == m, "title as a heading, escaped");
    check(strstr(m, "> Adoption reached **12.5% \\<script\\>alert(\"x\")\\</script\\> \\& 'q'** in "
                    "\\*bold\\* \\_it\\_ \\[link\\](x) a\\|b line two\n") != NULL,
          "answer as a quote; emphasis, links, pipes, line breaks escaped");
    check(strstr(m, "\n1\\. not a list, # not a heading``a`b\\|c``\n") != NULL,
          "a leading list number escaped; a code span fenced past its backtick");
    check(strstr(m, "\n- first\n- second\n\n") != NULL, "bullets make one list");
    check(strstr(m, "| City | Wallets |\n|---|---:|\n| Shen\\|zhen new \\*line\\* | 1234 |\n"
                    "| **Total** |  |\n") != NULL,
          "table: right-aligned numbers, pipes and line breaks escaped in cells");
    check(strstr(m, "![Figure 1. Adoption by city, \\<script\\>") == NULL &&
              strstr(m, "*Figure 1.* Adoption by city") && strstr(m, "pilotsim plot DIR"),
          "a figure without its PNG: the caption and how to draw it");
    put("charts/latency.png", "png");
    check(doc_write_markdown(d, root, "memo.md", stderr) == 0 &&
              strstr(slurp("memo.md"), "![Figure 2. Latency p99 (ms)](charts/latency.png)\n\n"
                                       "*Figure 2.* Latency p99 (ms)\n"),
          "a figure with its PNG linked and numbered");
    m = slurp("memo.md");
    const char *rule = strstr(m, "\n---\n");
    check(rule && strstr(rule, "## Appendix: every city") && strstr(m, "\n---\n\npilotsim 0.3.0"),
          "the page end as a rule before the appendix; the footer last");
    doc_free(d);
}

/* A chart that exists but cannot be read: no report.html, the earlier one
 * kept whole, no temporary left. */
static void test_nothing_half_written(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/memo.md", root);
    unlink(path);
    put("report.html", "earlier");
    snprintf(path, sizeof path, "%s/charts/broken.svg", root);
    check(mkdir(path, 0755) == 0, "a chart that is a folder");
    struct doc *d = doc_new("t");
    doc_figure(d, "broken", "caption");
    FILE *err = tmpfile();
    check(doc_write_html(d, root, err) == -1, "an unreadable chart fails the page");
    char msg[512] = "";
    rewind(err);
    check(fgets(msg, sizeof msg, err) && strstr(msg, "broken.svg"), "one line naming the chart: %s",
          msg);
    fclose(err);
    check(strcmp(slurp("report.html"), "earlier") == 0, "the earlier report.html untouched");
    check(strays("report.html") == 0, "no temporary left");
    rmdir(path);
    doc_free(d);
    /* a name that is not a chart's never reaches the file system */
    d = doc_new("t");
    doc_figure(d, "../summary", "caption");
    check(doc_write_html(d, root, stderr) == 0 && strstr(slurp("report.html"), "class=\"missing\""),
          "a chart name with a path drawn as missing");
    doc_free(d);
    check(doc_failed(NULL) == 1, "no doc is a failed one");
    doc_free(NULL);
}

int main(void)
{
    test_plan(34);
    snprintf(root, sizeof root, "/tmp/pilotsim-doc-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    char charts[128];
    snprintf(charts, sizeof charts, "%s/charts", root);
    mkdir(charts, 0755);
    test_html();
    test_markdown();
    test_nothing_half_written();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 1;
    return test_done();
}
