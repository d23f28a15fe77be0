"""Build reference.docx, the Word styles of a region's document, from Pandoc's own default.

Run from the repository after changing it (Pandoc from pypandoc_binary):

    .venv/bin/python rapportmallar/dokument/referensdokument.py

Changes to Pandoc's default: A4 with 2.2 cm margins, the page number ("Sida 3 av 40") in
the footer, the contents and each report (heading 1) on a new page, Swedish as the
language, notices (block quotes) on a tinted background, the paragraph style "Proveniens" in
small grey type, tables with a ruled, bold header row, and the fields (the contents, the
page count) filled in when Word opens the file.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypandoc

HERE = Path(__file__).resolve().parent
TARGET = HERE / "reference.docx"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _run(xml: str) -> str:
    return f'<w:r><w:rPr><w:sz w:val="17"/></w:rPr>{xml}</w:r>'


def _field(name: str) -> str:
    """A Word field (PAGE, NUMPAGES) that Word fills in."""
    return "".join(
        _run(x)
        for x in (
            '<w:fldChar w:fldCharType="begin"/>',
            f'<w:instrText xml:space="preserve"> {name} </w:instrText>',
            '<w:fldChar w:fldCharType="separate"/>',
            "<w:t>1</w:t>",
            '<w:fldChar w:fldCharType="end"/>',
        )
    )


FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p>'
    '<w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
    + _run('<w:t xml:space="preserve">Sida </w:t>')
    + _field("PAGE")
    + _run('<w:t xml:space="preserve"> av </w:t>')
    + _field("NUMPAGES")
    + "</w:p></w:ftr>"
)

SECTION = """<w:sectPr>
      <w:footerReference w:type="default" r:id="rIdUtvFooter" />
      <w:footnotePr>
        <w:numRestart w:val="eachSect" />
      </w:footnotePr>
      <w:pgSz w:w="11906" w:h="16838" />
      <w:pgMar w:top="1474" w:right="1247" w:bottom="1361" w:left="1247" w:header="709"
        w:footer="567" w:gutter="0" />
    </w:sectPr>"""

EXTRA_STYLES = """
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Proveniens">
    <w:name w:val="Proveniens" />
    <w:basedOn w:val="BodyText" />
    <w:qFormat />
    <w:pPr>
      <w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="AAAAAA" /></w:pBdr>
      <w:spacing w:before="240" w:after="60" />
    </w:pPr>
    <w:rPr><w:color w:val="555555" /><w:sz w:val="15" /><w:szCs w:val="15" /></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Footer">
    <w:name w:val="footer" />
    <w:basedOn w:val="Normal" />
    <w:rPr><w:color w:val="555555" /></w:rPr>
  </w:style>
"""


def _style(styles: str, style_id: str) -> tuple[int, int]:
    match = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S)
    if match is None:
        raise SystemExit(f"Pandoc's reference.docx has no style {style_id}")
    return match.span()


def _add_to(styles: str, style_id: str, where: str, xml: str) -> str:
    """Put ``xml`` at the start of the style's ``where`` element (pPr, rPr, tblPr), making the
    element when the style has none."""
    start, end = _style(styles, style_id)
    style = styles[start:end]
    if f"<w:{where}>" in style:
        style = style.replace(f"<w:{where}>", f"<w:{where}>{xml}", 1)
    else:
        style = style.replace("</w:style>", f"<w:{where}>{xml}</w:{where}></w:style>")
    return styles[:start] + style + styles[end:]


def build(target: Path = TARGET) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        default = Path(tmp) / "default.docx"
        subprocess.run(
            [
                pypandoc.get_pandoc_path(),
                "-o",
                str(default),
                "--print-default-data-file",
                "reference.docx",
            ],
            check=True,
        )
        with zipfile.ZipFile(default) as source:
            files = {name: source.read(name) for name in source.namelist()}
    document = files["word/document.xml"].decode("utf-8")
    document = re.sub(r"<w:sectPr>.*?</w:sectPr>", SECTION, document, flags=re.S)
    files["word/document.xml"] = document.encode("utf-8")
    rels = files["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footer" Id="rIdUtvFooter" Target="footer1.xml" /></Relationships>',
    )
    files["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = files["[Content_Types].xml"].decode("utf-8")
    types = types.replace(
        "</Types>",
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footer+xml" /></Types>',
    )
    files["[Content_Types].xml"] = types.encode("utf-8")
    files["word/footer1.xml"] = FOOTER.encode("utf-8")
    # Word fills in the contents and the page count when the file is opened
    settings = files["word/settings.xml"].decode("utf-8")
    settings = settings.replace(
        '<w:zoom w:percent="100" />', '<w:zoom w:percent="100" /><w:updateFields w:val="true" />'
    )
    files["word/settings.xml"] = settings.encode("utf-8")
    styles = files["word/styles.xml"].decode("utf-8")
    styles = re.sub(r'w:lang w:val="[^"]*"', 'w:lang w:val="sv-SE"', styles)
    styles = _add_to(styles, "Heading1", "pPr", "<w:pageBreakBefore />")
    styles = _add_to(styles, "TOCHeading", "pPr", "<w:pageBreakBefore />")
    styles = _add_to(
        styles,
        "BlockText",
        "pPr",
        '<w:pBdr><w:left w:val="single" w:sz="18" w:space="6" w:color="C77700" /></w:pBdr>'
        '<w:shd w:val="clear" w:color="auto" w:fill="FFF4E0" />',
    )
    styles = _add_to(
        styles,
        "Table",
        "tblPr",
        '<w:tblBorders><w:bottom w:val="single" w:sz="4" w:color="999999" />'
        '<w:insideH w:val="single" w:sz="2" w:color="DDDDDD" /></w:tblBorders>',
    )
    styles = styles.replace(
        '<w:bottom w:val="single"/>\n        </w:tcBorders>',
        '<w:bottom w:val="single" w:sz="8" w:color="444444"/>\n        </w:tcBorders>'
        '\n        <w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/>',
    )
    styles = styles.replace(
        '<w:tblStylePr w:type="firstRow">',
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b /></w:rPr>',
    )
    styles = styles.replace("</w:styles>", EXTRA_STYLES + "</w:styles>")
    files["word/styles.xml"] = styles.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return target


if __name__ == "__main__":
    print(build())
