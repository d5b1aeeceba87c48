/* doc: the blocks of a report and its two renderers (doc.h).
 *
 * The blocks are kept as plain text and escaped only when written, each
 * renderer with its own rules, so one builder serves report.html and
 * compare.md alike. */
#include "output/doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/report.h"

enum block_kind {
    BLOCK_HEADING,
    BLOCK_PARA,
    BLOCK_ITEM,
    BLOCK_TABLE,
    BLOCK_FIGURE,
    BLOCK_PAGE_END
};
enum span_kind { SPAN_TEXT, SPAN_STRONG, SPAN_CODE };

struct span {
    enum span_kind kind;
    char *text;
};

struct block {
    enum block_kind kind;
    int level;            /* heading 1-3 */
    enum doc_style style; /* paragraph */
    char *text;           /* heading, figure caption */
    char *chart;          /* figure: the chart's name */
    int number;           /* figure: k of "Figure k." */
    struct span *spans;   /* paragraph, bullet */
    size_t n_spans, cap_spans;
    size_t n_cols;         /* table */
    char **headers;        /* [n_cols] */
    char *align;           /* [n_cols] letters */
    char **cells;          /* row by row */
    unsigned char *strong; /* [n_cells]: a strong cell */
    size_t n_cells, cap_cells;
};

struct doc {
    char *title;
    struct block *blocks;
    size_t n, cap;
    char **footer; /* lines */
    size_t n_footer;
    int open;    /* the last block is a paragraph, bullet or table still open */
    int figures; /* figures so far */
    int page_ended;
    int failed;
};

/* ---- building ---- */

static char *dup_text(struct doc *d, const char *s)
{
    char *p = malloc(strlen(s) + 1);
    if (!p)
        d->failed = 1;
    else
        strcpy(p, s);
    return p;
}

/* fmt and its arguments as a fresh string; NULL (the doc failed) when out
 * of memory. */
static char *vformat(struct doc *d, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!p) {
        d->failed = 1;
        return NULL;
    }
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

/* Grow an array of `size`-byte elements to hold one more; 0 or -1. */
static int grow(struct doc *d, void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 8;
    void *p = realloc(*arr, c * size);
    if (!p) {
        d->failed = 1;
        return -1;
    }
    *arr = p;
    *cap = c;
    return 0;
}

/* A new block of that kind, closing whatever was open; NULL when out of
 * memory. */
static struct block *add_block(struct doc *d, enum block_kind kind)
{
    if (!d || d->failed)
        return NULL;
    d->open = 0;
    if (grow(d, (void **)&d->blocks, d->n, &d->cap, sizeof *d->blocks) < 0)
        return NULL;
    struct block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

/* The open block of that kind (a paragraph or bullet for spans), or NULL. */
static struct block *open_block(struct doc *d, int table)
{
    if (!d || d->failed || !d->open || d->n == 0)
        return NULL;
    struct block *b = &d->blocks[d->n - 1];
    return (b->kind == BLOCK_TABLE) == table ? b : NULL;
}

struct doc *doc_new(const char *title)
{
    struct doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->title = dup_text(d, title ? title : "");
    if (d->failed) {
        free(d);
        return NULL;
    }
    return d;
}

void doc_title(struct doc *d, const char *fmt, ...)
{
    if (!d || d->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *t = vformat(d, fmt, ap);
    va_end(ap);
    if (t) {
        free(d->title);
        d->title = t;
    }
}

static void block_destroy(struct block *b)
{
    free(b->text);
    free(b->chart);
    for (size_t i = 0; i < b->n_spans; i++)
        free(b->spans[i].text);
    free(b->spans);
    for (size_t i = 0; b->headers && i < b->n_cols; i++)
        free(b->headers[i]);
    free(b->headers);
    free(b->align);
    for (size_t i = 0; i < b->n_cells; i++)
        free(b->cells[i]);
    free(b->cells);
    free(b->strong);
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        block_destroy(&d->blocks[i]);
    free(d->blocks);
    for (size_t i = 0; i < d->n_footer; i++)
        free(d->footer[i]);
    free(d->footer);
    free(d->title);
    free(d);
}

void doc_heading(struct doc *d, int level, const char *fmt, ...)
{
    struct block *b = add_block(d, BLOCK_HEADING);
    if (!b)
        return;
    b->level = level < 1 ? 1 : level > 3 ? 3 : level;
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(d, fmt, ap);
    va_end(ap);
}

void doc_para_begin(struct doc *d, enum doc_style style)
{
    struct block *b = add_block(d, BLOCK_PARA);
    if (b) {
        b->style = style == DOC_ANSWER || style == DOC_NOTE ? style : DOC_PLAIN;
        d->open = 1;
    }
}

void doc_item_begin(struct doc *d)
{
    if (add_block(d, BLOCK_ITEM))
        d->open = 1;
}

void doc_para_end(struct doc *d)
{
    if (d && open_block(d, 0))
        d->open = 0;
}

/* Append a span to the open paragraph (opening a plain one if none). */
static void add_span(struct doc *d, enum span_kind kind, const char *fmt, va_list ap)
{
    if (!d || d->failed)
        return;
    if (!open_block(d, 0))
        doc_para_begin(d, DOC_PLAIN);
    struct block *b = open_block(d, 0);
    if (!b || grow(d, (void **)&b->spans, b->n_spans, &b->cap_spans, sizeof *b->spans) < 0)
        return;
    char *text = vformat(d, fmt, ap);
    if (text)
        b->spans[b->n_spans++] = (struct span){kind, text};
}

void doc_text(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_span(d, SPAN_TEXT, fmt, ap);
    va_end(ap);
}

void doc_strong(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_span(d, SPAN_STRONG, fmt, ap);
    va_end(ap);
}

void doc_code(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_span(d, SPAN_CODE, fmt, ap);
    va_end(ap);
}

void doc_table_begin(struct doc *d, size_t n_cols, const char *const *headers, const char *align)
{
    struct block *b = add_block(d, BLOCK_TABLE);
    if (!b || n_cols == 0)
        return;
    b->headers = calloc(n_cols, sizeof *b->headers);
    b->align = malloc(n_cols);
    if (!b->headers || !b->align) {
        d->failed = 1;
        return;
    }
    b->n_cols = n_cols;
    size_t n_align = align ? strlen(align) : 0;
    for (size_t i = 0; i < n_cols; i++) {
        b->headers[i] = dup_text(d, headers && headers[i] ? headers[i] : "");
        char a = i < n_align ? align[i] : 'l';
        b->align[i] = a == 'r' || a == 'c' ? a : 'l';
    }
    d->open = 1;
}

static void add_cell(struct doc *d, int strong, const char *fmt, va_list ap)
{
    struct block *b = open_block(d, 1);
    if (!b || b->n_cols == 0 ||
        grow(d, (void **)&b->cells, b->n_cells, &b->cap_cells, sizeof *b->cells) < 0)
        return;
    size_t cap = b->cap_cells;
    unsigned char *s = realloc(b->strong, cap);
    if (!s) {
        d->failed = 1;
        return;
    }
    b->strong = s;
    char *text = vformat(d, fmt, ap);
    if (!text)
        return;
    b->strong[b->n_cells] = (unsigned char)strong;
    b->cells[b->n_cells++] = text;
}

void doc_cell(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_cell(d, 0, fmt, ap);
    va_end(ap);
}

void doc_cell_strong(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_cell(d, 1, fmt, ap);
    va_end(ap);
}

/* Pad the last row with empty cells, then close the table. */
void doc_table_end(struct doc *d)
{
    struct block *b = open_block(d, 1);
    if (!b)
        return;
    while (b->n_cols && b->n_cells % b->n_cols) {
        if (grow(d, (void **)&b->cells, b->n_cells, &b->cap_cells, sizeof *b->cells) < 0)
            return;
        unsigned char *s = realloc(b->strong, b->cap_cells);
        char *empty = dup_text(d, "");
        if (!s || !empty) {
            free(empty);
            if (s)
                b->strong = s;
            d->failed = 1;
            return;
        }
        b->strong = s;
        b->strong[b->n_cells] = 0;
        b->cells[b->n_cells++] = empty;
    }
    d->open = 0;
}

void doc_figure(struct doc *d, const char *chart, const char *fmt, ...)
{
    struct block *b = add_block(d, BLOCK_FIGURE);
    if (!b)
        return;
    b->number = ++d->figures;
    b->chart = dup_text(d, chart ? chart : "");
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(d, fmt, ap);
    va_end(ap);
}

void doc_page_end(struct doc *d)
{
    if (d && !d->page_ended && add_block(d, BLOCK_PAGE_END))
        d->page_ended = 1;
}

void doc_footer(struct doc *d, const char *fmt, ...)
{
    if (!d || d->failed)
        return;
    d->open = 0;
    char **p = realloc(d->footer, (d->n_footer + 1) * sizeof *p);
    if (!p) {
        d->failed = 1;
        return;
    }
    d->footer = p;
    va_list ap;
    va_start(ap, fmt);
    char *line = vformat(d, fmt, ap);
    va_end(ap);
    if (line)
        d->footer[d->n_footer++] = line;
}

int doc_failed(const struct doc *d)
{
    return !d || d->failed;
}

int doc_figures(const struct doc *d)
{
    return d ? d->figures : 0;
}

/* ---- text, escaped ---- */

/* The length of the valid UTF-8 sequence at s, or 0 when s starts an
 * invalid one (a stray byte is written as U+FFFD, so a page never holds
 * bytes a browser must guess at). */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || (n == 4 && s[0] > 0xF4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* Write the UTF-8 character at s (n bytes, 0 = invalid: U+FFFD). */
static const char *put_utf8(FILE *f, const char *s, size_t n)
{
    if (n == 0) {
        fputs("\xEF\xBF\xBD", f);
        return s + 1;
    }
    fwrite(s, 1, n, f);
    return s + n;
}

/* Plain text as HTML: the five characters escaped, line breaks and other
 * control characters as spaces. */
static void html_text(FILE *f, const char *s)
{
    while (*s) {
        unsigned char c = (unsigned char)*s;
        const char *e = c == '&'                ? "&amp;"
                        : c == '<'              ? "&lt;"
                        : c == '>'              ? "&gt;"
                        : c == '"'              ? "&quot;"
                        : c == '\''             ? "&#39;"
                        : c < 0x20 || c == 0x7F ? " "
                                                : NULL;
        if (e) {
            fputs(e, f);
            s++;
        } else {
            s = put_utf8(f, s, utf8_len((const unsigned char *)s));
        }
    }
}

/* Plain text as Markdown inline text: every character that could start
 * markup (emphasis, links, code, HTML, entities, table pipes) is
 * backslash-escaped, line breaks become spaces; at the start of a block
 * (`first`), a character that would make a heading, quote or list too. */
static void md_span(FILE *f, const char *s, size_t n, int first)
{
    for (const char *p = s; p < s + n;) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F) {
            fputc(' ', f);
            p++;
            continue;
        }
        int lead = first && p == s;
        if (strchr("\\`*_[]<>|~&", c) || (lead && strchr("#+->=", c)))
            fputc('\\', f);
        else if (lead && c >= '0' && c <= '9') {
            /* "2021. " would start an ordered list: escape its dot */
            size_t k = strspn(p, "0123456789");
            if (p[k] == '.' || p[k] == ')') {
                fwrite(p, 1, k, f);
                fputc('\\', f);
                fputc(p[k], f);
                p += k + 1;
                continue;
            }
        }
        p = put_utf8(f, p, utf8_len((const unsigned char *)p));
    }
}

static void md_text(FILE *f, const char *s, int first)
{
    md_span(f, s, strlen(s), first);
}

/* ---- charts ---- */

/* Is a chart name safe to join to a path (letters, digits, - and _, and
 * dots inside: a sweep's sweep-total.adoption; never a leading dot, so
 * never . or .. or a hidden file)? */
static int chart_name_ok(const char *name)
{
    if (!*name || *name == '.')
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

/* A chart read whole: SVG preferred (sharp in print), else PNG. */
struct chart_file {
    unsigned char *bytes; /* NULL: missing */
    size_t len;
    const char *mime;
};

/* Read DIR/charts/NAME.EXT: 0 (found or absent: c->bytes says), -1 with a
 * message when it exists but cannot be read. */
static int chart_read(const char *dir, const char *name, const char *ext, struct chart_file *c,
                      FILE *err)
{
    char path[4096];
    c->bytes = NULL;
    if (snprintf(path, sizeof path, "%s/charts/%s.%s", dir, name, ext) >= (int)sizeof path)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f && (errno == ENOENT || errno == ENOTDIR))
        return 0;
    if (!f) {
        fprintf(err, "pilotsim: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    size_t n = 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (!(c->bytes = malloc((n = (size_t)st.st_size) ? n : 1)))
        why = "out of memory";
    else if (fread(c->bytes, 1, n, f) != n || ferror(f))
        why = strerror(errno ? errno : EIO);
    fclose(f);
    if (why) {
        fprintf(err, "pilotsim: cannot read %s: %s\n", path, why);
        free(c->bytes);
        c->bytes = NULL;
        return -1;
    }
    c->len = n;
    c->mime = strcmp(ext, "svg") == 0 ? "image/svg+xml" : "image/png";
    return 0;
}

static int chart_load(const char *dir, const char *name, struct chart_file *c, FILE *err)
{
    c->bytes = NULL;
    if (!chart_name_ok(name))
        return 0;
    if (chart_read(dir, name, "svg", c, err) < 0)
        return -1;
    return c->bytes ? 0 : chart_read(dir, name, "png", c, err);
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        v |= i + 1 < n ? (unsigned)p[i + 1] << 8 : 0;
        v |= i + 2 < n ? p[i + 2] : 0;
        char out[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                       i + 2 < n ? tab[v & 63] : '='};
        fwrite(out, 1, 4, f);
    }
}

/* ---- HTML ---- */

/* The page's style. Print: A4 with 15 mm margins, the memo section on the
 * first page, the appendix from a new page. System sans-serif fonts only
 * (nothing is fetched); numbers in tables right-aligned with tabular
 * figures. On screen a figure takes the page's width; printed on the memo
 * page, figures that follow one another share a row (two or three to it)
 * and none is taller than 80 mm, about a third of the page, so that the
 * answer, its tables and the charts fit on one page. */
static const char html_style[] =
    "@page{size:A4;margin:15mm}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{font-family:system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\",\"Liberation "
    "Sans\",Arial,sans-serif;font-size:11pt;line-height:1.4;color:#1a1a1a;margin:0 auto;"
    "max-width:190mm;padding:8mm 6mm}\n"
    "h1{font-size:17pt;margin:0 0 3mm;line-height:1.2}\n"
    "h2{font-size:12.5pt;margin:4mm 0 1mm;border-bottom:1px solid #ccc;padding-bottom:.5mm}\n"
    "h3{font-size:11pt;margin:4mm 0 1mm}\nh4{font-size:10.5pt;margin:3mm 0 1mm}\n"
    "h2,h3,h4{break-after:avoid}\np,ul{margin:0 0 2mm}\nli{margin:0 0 .5mm}\n"
    "p.answer{font-size:12pt;background:#eef3f8;border-left:4px solid #1f4e79;"
    "padding:2.5mm 4mm;margin:2mm 0 3mm}\n"
    "p.note{font-size:8.5pt;color:#444}\n"
    "code{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:.9em;"
    "background:#f3f3f3;padding:0 .3em;border-radius:2px}\n"
    "table{border-collapse:collapse;margin:1mm 0 3mm;font-size:9.5pt;width:100%}\n"
    ".memo td{white-space:nowrap}\n.memo td:last-child{white-space:normal}\n"
    "th,td{padding:.5mm 2mm;border-bottom:1px solid #ddd;vertical-align:top}\n"
    "th{border-bottom:1.5px solid #555;text-align:left;font-weight:600}\n"
    ".r{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".appendix table{font-size:8.5pt}\n"
    ".c{text-align:center}\ntr{break-inside:avoid}\n"
    ".figures{display:flex;flex-wrap:wrap;gap:3mm;margin:2mm 0}\n"
    "figure{margin:0;break-inside:avoid;text-align:center;flex:1 1 100%}\n"
    "figure img{max-width:100%;height:auto;max-height:120mm}\n"
    "figcaption{font-size:8.5pt;color:#333;text-align:left;margin-top:1mm}\n"
    ".missing{border:1.5px dashed #888;padding:3mm;font-size:8pt;color:#444;"
    "background:#fafafa}\n"
    ".appendix{break-before:page;margin-top:8mm}\n"
    "footer{margin-top:6mm;padding-top:1.5mm;border-top:1px solid #ccc;font-size:7.5pt;"
    "color:#555;overflow-wrap:anywhere}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "p.answer{font-size:11pt}.appendix{margin-top:0}"
    ".memo figure img{max-height:80mm}"
    ".memo .figures.two figure{flex:0 0 calc(50% - 1.5mm)}"
    ".memo .figures.three figure{flex:0 0 calc(33.3% - 2mm)}"
    ".memo .figures.three figure img{max-height:55mm}}\n";

static void html_spans(FILE *f, const struct block *b)
{
    static const char *const open[] = {"", "<strong>", "<code>"};
    static const char *const close[] = {"", "</strong>", "</code>"};
    for (size_t i = 0; i < b->n_spans; i++) {
        fputs(open[b->spans[i].kind], f);
        html_text(f, b->spans[i].text);
        fputs(close[b->spans[i].kind], f);
    }
}

static void html_table(FILE *f, const struct block *b)
{
    fputs("<table>\n<thead><tr>", f);
    for (size_t c = 0; c < b->n_cols; c++) {
        fprintf(f, "<th class=\"%c\">", b->align[c]);
        html_text(f, b->headers[c]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < b->n_cells; i++) {
        size_t c = i % b->n_cols;
        fprintf(f, "%s<td class=\"%c\">%s", c ? "" : "<tr>", b->align[c],
                b->strong[i] ? "<strong>" : "");
        html_text(f, b->cells[i]);
        fprintf(f, "%s</td>%s", b->strong[i] ? "</strong>" : "",
                c + 1 == b->n_cols ? "</tr>\n" : "");
    }
    fputs("</tbody>\n</table>\n", f);
}

/* A chart inline as an <img> with a data: URI, not as inline <svg>: gnuplot
 * gives every SVG the same ids (gnuplot_canvas, gpPt0, ...), which would
 * collide between two charts on one page, and an <img> keeps each SVG a
 * document of its own (its ids, styles and any script stay inside it, and
 * a browser never runs script in an SVG image) without rewriting it. */
static int html_figure(FILE *f, const struct block *b, const char *dir, FILE *err)
{
    struct chart_file c;
    if (chart_load(dir, b->chart, &c, err) < 0)
        return -1;
    fputs("<figure>\n", f);
    if (c.bytes) {
        fprintf(f, "<img alt=\"Figure %d. ", b->number);
        html_text(f, b->text);
        fprintf(f, "\" src=\"data:%s;base64,", c.mime);
        base64(f, c.bytes, c.len);
        fputs("\">\n", f);
        free(c.bytes);
    } else {
        fputs("<div class=\"missing\">Chart not drawn (<code>charts/", f);
        html_text(f, b->chart);
        fputs(".svg</code> is missing): run <code>pilotsim plot DIR</code>, then "
              "<code>pilotsim report DIR</code>, DIR being this page's folder.</div>\n",
              f);
    }
    fprintf(f, "<figcaption><strong>Figure %d.</strong> ", b->number);
    html_text(f, b->text);
    fputs("</figcaption>\n</figure>\n", f);
    return 0;
}

/* How many figures follow one another from block i. */
static size_t figure_run(const struct doc *d, size_t i)
{
    size_t k = i;
    while (k < d->n && d->blocks[k].kind == BLOCK_FIGURE)
        k++;
    return k - i;
}

/* Blocks [i, n) of one kind that group (bullets into a list, figures into
 * a row): write the group, return the index after it, or -1 on failure. */
static long html_group(FILE *f, const struct doc *d, size_t i, const char *dir, FILE *err)
{
    const struct block *b = &d->blocks[i];
    if (b->kind == BLOCK_ITEM) {
        fputs("<ul>\n", f);
        for (; i < d->n && d->blocks[i].kind == BLOCK_ITEM; i++) {
            fputs("<li>", f);
            html_spans(f, &d->blocks[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
        return (long)i;
    }
    size_t n = figure_run(d, i);
    fprintf(f, "<div class=\"figures %s\">\n", n > 2 ? "three" : n > 1 ? "two" : "one");
    for (size_t k = i; k < i + n; k++)
        if (html_figure(f, &d->blocks[k], dir, err) < 0)
            return -1;
    fputs("</div>\n", f);
    return (long)(i + n);
}

static const char *const para_class[] = {"", " class=\"answer\"", " class=\"note\""};

/* The blocks, in order; 0 or -1 (a chart could not be read). */
static int html_blocks(FILE *f, const struct doc *d, const char *dir, FILE *err)
{
    for (size_t i = 0; i < d->n;) {
        const struct block *b = &d->blocks[i];
        if (b->kind == BLOCK_ITEM || b->kind == BLOCK_FIGURE) {
            long next = html_group(f, d, i, dir, err);
            if (next < 0)
                return -1;
            i = (size_t)next;
            continue;
        }
        if (b->kind == BLOCK_HEADING) {
            fprintf(f, "<h%d>", b->level + 1);
            html_text(f, b->text);
            fprintf(f, "</h%d>\n", b->level + 1);
        } else if (b->kind == BLOCK_PARA) {
            fprintf(f, "<p%s>", para_class[b->style]);
            html_spans(f, b);
            fputs("</p>\n", f);
        } else if (b->kind == BLOCK_TABLE) {
            html_table(f, b);
        } else if (b->kind == BLOCK_PAGE_END) {
            fputs("</section>\n<section class=\"appendix\">\n", f);
        }
        i++;
    }
    return 0;
}

struct html_ctx {
    const struct doc *d;
    const char *dir;
    FILE *err;
};

/* The page. The Content-Security-Policy forbids every fetch and every
 * script: the page is whole in itself, and text from a scenario, escaped
 * already, could not run even if it slipped through. */
static int html_page(FILE *f, const void *arg)
{
    const struct html_ctx *x = arg;
    const struct doc *d = x->d;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "img-src data:; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    html_text(f, d->title);
    fprintf(
        f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<section class=\"memo\">\n<h1>",
        html_style);
    html_text(f, d->title);
    fputs("</h1>\n", f);
    if (html_blocks(f, d, x->dir, x->err) < 0)
        return -1;
    fputs("</section>\n</main>\n", f);
    if (d->n_footer) {
        fputs("<footer>\n", f);
        for (size_t i = 0; i < d->n_footer; i++) {
            fputs("<div>", f);
            html_text(f, d->footer[i]);
            fputs("</div>\n", f);
        }
        fputs("</footer>\n", f);
    }
    fputs("</body>\n</html>\n", f);
    return 0;
}

int doc_write_html(const struct doc *d, const char *dir, FILE *err)
{
    if (doc_failed(d)) {
        fprintf(err, "pilotsim: %s/report.html: out of memory while building the report\n", dir);
        return -1;
    }
    struct html_ctx x = {d, dir, err};
    return report_atomic(dir, "report.html", html_page, &x, err);
}

/* ---- Markdown ---- */

/* Strong text with its outer spaces outside the markers (`** x**` would
 * not be bold). */
static void md_strong(FILE *f, const char *s)
{
    size_t lead = strspn(s, " "), n = strlen(s), end = n;
    while (end > lead && s[end - 1] == ' ')
        end--;
    if (end == lead) {
        fputs(s, f);
        return;
    }
    fprintf(f, "%.*s**", (int)lead, s);
    md_span(f, s + lead, end - lead, 0); /* after the markers: never a line's start */
    fprintf(f, "**%s", s + end);
}

/* A code span: fenced by one backtick more than the longest run inside,
 * line breaks as spaces, pipes escaped (a table would split on them). */
static void md_code(FILE *f, const char *s)
{
    size_t longest = 0, run = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    size_t n = strlen(s);
    int pad = n && (s[0] == '`' || s[n - 1] == '`');
    for (size_t i = 0; i <= longest; i++)
        fputc('`', f);
    fputs(pad ? " " : "", f);
    for (const char *p = s; *p; p++)
        if (*p == '|')
            fputs("\\|", f);
        else
            fputc((unsigned char)*p < 0x20 ? ' ' : *p, f);
    fputs(pad ? " " : "", f);
    for (size_t i = 0; i <= longest; i++)
        fputc('`', f);
}

static void md_spans(FILE *f, const struct block *b)
{
    for (size_t i = 0; i < b->n_spans; i++) {
        const struct span *s = &b->spans[i];
        if (s->kind == SPAN_STRONG)
            md_strong(f, s->text);
        else if (s->kind == SPAN_CODE)
            md_code(f, s->text);
        else
            md_text(f, s->text, i == 0);
    }
}

static void md_table(FILE *f, const struct block *b)
{
    fputs("|", f);
    for (size_t c = 0; c < b->n_cols; c++) {
        fputc(' ', f);
        md_text(f, b->headers[c], 0);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (size_t c = 0; c < b->n_cols; c++)
        fputs(b->align[c] == 'r' ? "---:|" : b->align[c] == 'c' ? ":---:|" : "---|", f);
    fputc('\n', f);
    for (size_t i = 0; i < b->n_cells; i++) {
        fputs(i % b->n_cols ? " " : "| ", f);
        if (b->strong[i] && *b->cells[i])
            md_strong(f, b->cells[i]);
        else
            md_text(f, b->cells[i], 0);
        fputs(i % b->n_cols + 1 == b->n_cols ? " |\n" : " |", f);
    }
}

/* A figure: the PNG (what Markdown viewers show) and its caption; a box
 * in words when the chart was not drawn. */
static void md_figure(FILE *f, const struct block *b, const char *dir)
{
    char path[4096];
    struct stat st;
    int there = chart_name_ok(b->chart) &&
                snprintf(path, sizeof path, "%s/charts/%s.png", dir, b->chart) < (int)sizeof path &&
                stat(path, &st) == 0;
    if (there) {
        fprintf(f, "![Figure %d. ", b->number);
        md_text(f, b->text, 0);
        fprintf(f, "](charts/%s.png)\n\n", b->chart);
    }
    fprintf(f, "*Figure %d.* ", b->number);
    md_text(f, b->text, 0);
    if (!there)
        fputs(" (Chart not drawn: run `pilotsim plot DIR`, then `pilotsim report DIR`, "
              "DIR being this folder.)",
              f);
    fputc('\n', f);
}

struct md_ctx {
    const struct doc *d;
    const char *dir;
};

static void md_block(FILE *f, const struct doc *d, size_t i, const char *dir)
{
    const struct block *b = &d->blocks[i];
    int list_goes_on = b->kind == BLOCK_ITEM && i + 1 < d->n && d->blocks[i + 1].kind == BLOCK_ITEM;
    switch (b->kind) {
    case BLOCK_HEADING:
        fprintf(f, "%.*s ", b->level + 1, "####");
        md_text(f, b->text, 0);
        fputc('\n', f);
        break;
    case BLOCK_PARA:
        fputs(b->style == DOC_ANSWER ? "> " : "", f);
        md_spans(f, b);
        fputc('\n', f);
        break;
    case BLOCK_ITEM:
        fputs("- ", f);
        md_spans(f, b);
        fputc('\n', f);
        break;
    case BLOCK_TABLE:
        md_table(f, b);
        break;
    case BLOCK_FIGURE:
        md_figure(f, b, dir);
        break;
    case BLOCK_PAGE_END:
        fputs("---\n", f);
        break;
    }
    if (!list_goes_on)
        fputc('\n', f);
}

static int md_page(FILE *f, const void *arg)
{
    const struct md_ctx *x = arg;
    fputs("# ", f);
    md_text(f, x->d->title, 0);
    fputs("\n\n", f);
    for (size_t i = 0; i < x->d->n; i++)
        md_block(f, x->d, i, x->dir);
    if (x->d->n_footer)
        fputs("---\n\n", f);
    for (size_t i = 0; i < x->d->n_footer; i++) {
        md_text(f, x->d->footer[i], 1);
        fputs(i + 1 < x->d->n_footer ? "\\\n" : "\n", f);
    }
    return 0;
}

int doc_write_markdown(const struct doc *d, const char *dir, const char *name, FILE *err)
{
    if (doc_failed(d)) {
        fprintf(err, "pilotsim: %s/%s: out of memory while building the report\n", dir, name);
        return -1;
    }
    struct md_ctx x = {d, dir};
    return report_atomic(dir, name, md_page, &x, err);
}
