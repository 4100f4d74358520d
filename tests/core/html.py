"""Reading rendered pages without a third-party parser: the breadcrumb and the <select>s."""

from html.parser import HTMLParser


class BreadcrumbParser(HTMLParser):
    """The links and the active item of the page's breadcrumb nav (data-testid=breadcrumbs)."""

    def __init__(self):
        super().__init__()
        self.found = 0
        self.depth = 0
        self.links: list[str] = []
        self.labels: list[str] = []
        self.active = False
        self._in_active = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("data-testid") == "breadcrumbs":
            self.found += 1
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "nav":
            self.depth += 1
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag == "li" and "active" in (attrs.get("class") or "").split():
            self.active = True
            self._in_active = True

    def handle_endtag(self, tag):
        if self.depth and tag == "nav":
            self.depth -= 1
        if tag == "li":
            self._in_active = False

    def handle_data(self, data):
        if self.depth and data.strip():
            self.labels.append(data.strip())


def breadcrumb(html: str) -> BreadcrumbParser:
    parser = BreadcrumbParser()
    parser.feed(html)
    return parser
