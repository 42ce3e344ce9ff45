#!/usr/bin/env python3
"""Writes the hand-made seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/).

Run from anywhere: python3 tests/fuzz/make_corpus.py. It rewrites only the seeds it names
(files called seed_*); findings saved by bench/fuzz.sh (crash-*, regression_*) are left alone.
The binary seeds (ZIP bombs, lying ZIP entries) are built here, so they can be checked and
rebuilt rather than trusted.
"""
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
SOURCE = os.path.dirname(os.path.dirname(HERE))


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, "seed_" + name), "wb") as f:
        f.write(data)


# ---- CSV -------------------------------------------------------------------------------------
def csv_seeds():
    roster = "姓名,公民身份号码,联系电话,住址\r\n张三,530621199001011234,13800001111,鲁甸县文屏镇\r\n"
    put("csv", "utf8.csv", roster)
    put("csv", "utf8_bom.csv", "\ufeff" + roster)
    put("csv", "gb18030.csv", roster.encode("gb18030"))
    put("csv", "gb18030_4byte.csv", "姓名,备注\n李四,𠀀 € ·\n".encode("gb18030"))
    put("csv", "quoted.csv", 'a,"b,c","d ""e""","多\n行"\nx,,\n\n"",y\r\n')
    put("csv", "excel_text.csv", '="0012",="530621199001011234","\'=SUM(A1)","\'+86"\n')
    put("csv", "lone_cr.csv", "a,b\rc,d\r")
    put("csv", "unclosed_quote.csv", 'a,"bcd\nefg,h\n')
    put("csv", "text_after_quote.csv", '"ab"cd,e"f\n')
    put("csv", "invalid_utf8.csv", b"a,b\n\xe5\xa7\n\xff\xfe\xfd\n")
    put("csv", "utf16_bom.csv", "\ufeffa,b\n".encode("utf-16-le")[0:0] + b"\xff\xfea\x00,\x00")
    put("csv", "zip_as_csv.csv", b"PK\x03\x04\x14\x00\x00\x00")
    put("csv", "ole_as_csv.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    # First byte 0x03: forced GB18030, tab-separated (see csv_fuzz.cpp).
    put("csv", "forced_gb_tab.csv", b"\x03" + "姓名\t年龄\n王五\t61\n".encode("gb18030"))
    put("csv", "forced_utf8.csv", b"\x00" + "姓名,年龄\n王五,61\n".encode("utf-8"))


# ---- XLSX ------------------------------------------------------------------------------------
ROOT_RELS = ('<Relationships><Relationship Id="rId1" Type="/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<workbook xmlns:r="r"><workbookPr date1904="0"/><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/>'
            '<sheet name="隐藏" sheetId="2" state="hidden" r:id="rId9"/></sheets></workbook>')
WORKBOOK_RELS = ('<Relationships>'
                 '<Relationship Id="rId1" Type="/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId3" Type="/sharedStrings" Target="sharedStrings.xml"/>'
                 '</Relationships>')
SHARED = ('<sst><si><t>姓名</t></si><si><r><t>富</t></r><r><t xml:space="preserve"> 文本</t></r>'
          '<rPh><t>フ</t></rPh></si><si><t>a_x000D_b_x005F_x_xD83D__xDE00_</t></si></sst>')
SHEET = ('<worksheet><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
         '<row><c t="inlineStr"><is><t>内联</t></is></c><c t="s"><v>2</v></c></row>'
         '<row r="4"><c r="A4"><v>12</v></c><c r="B4"><v>12.50</v></c><c r="C4" t="b"><v>1</v></c>'
         '<c r="D4" t="e"><v>#DIV/0!</v></c><c r="E4" t="str"><f>A1</f><v>姓名x</v></c>'
         '<c r="F4"><f>1+1</f></c></row>'
         '<row r="6"><c r="B6"><v>5.30621199001011E+17</v></c></row>'
         '</sheetData><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells></worksheet>')


def zip_of(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)
    return buf.getvalue()


def book(shared=SHARED, sheet=SHEET, method=zipfile.ZIP_DEFLATED):
    return zip_of([("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
                   ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                   ("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet1.xml", sheet)], method)


def patch_member(data, member, local_at, central_at, fmt, value):
    """Rewrites a field of `member`'s local and central headers (offsets from each header)."""
    out = bytearray(data)
    name = member.encode()
    i = 0
    while True:
        i = out.find(name, i)
        if i < 0:
            break
        for sig, head, at in ((b"PK\x03\x04", 30, local_at), (b"PK\x01\x02", 46, central_at)):
            start = i - head
            if start >= 0 and out[start:start + 4] == sig:
                struct.pack_into(fmt, out, start + at, value)
        i += len(name)
    return bytes(out)


def lie_about_size(data, member, claimed):
    """Rewrites the uncompressed size of `member` in its local and central headers."""
    return patch_member(data, member, 22, 24, "<I", claimed)


def xlsx_seeds():
    put("xlsx", "book.xlsx", book())
    put("xlsx", "stored.xlsx", book(method=zipfile.ZIP_STORED))
    # The parts as text for the 'X' mode of xlsx_fuzz.cpp: workbook, its rels, strings, sheet.
    put("xlsx", "parts.txt", "X" + "\f".join([WORKBOOK, WORKBOOK_RELS, SHARED, SHEET]))
    prefixed = SHEET.replace("<", "<x:").replace("<x:/", "</x:")
    put("xlsx", "parts_prefixed.txt", "X" + "\f".join([WORKBOOK, WORKBOOK_RELS, SHARED, prefixed]))
    put("xlsx", "parts_far_cells.txt", "X" + "\f".join(
        [WORKBOOK, WORKBOOK_RELS, SHARED,
         '<worksheet><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
         '</sheetData></worksheet>']))
    # Deep XML: 1,000 nested elements in the sheet and in the shared strings.
    deep = "<a>" * 1000 + "</a>" * 1000
    put("xlsx", "parts_deep.txt", "X" + "\f".join(
        [WORKBOOK, WORKBOOK_RELS, "<sst><si>" + deep + "</si></sst>",
         "<worksheet><sheetData><row>" + deep + "</row></sheetData></worksheet>"]))
    # A ZIP bomb: sheet1.xml unpacks to 8 MB (over the target's 4 MB sheet limit).
    bomb_sheet = "<worksheet><sheetData>" + " " * (8 * 1024 * 1024) + "</sheetData></worksheet>"
    put("xlsx", "bomb_sheet.xlsx", book(sheet=bomb_sheet))
    # Shared strings of 2 MB (over the target's 1 MB part limit), highly compressible.
    put("xlsx", "huge_shared_strings.xlsx",
        book(shared="<sst>" + "<si><t>网格员</t></si>" * 80000 + "</sst>"))
    # Entries that lie: the headers say 100 bytes, the data unpacks to 2 MB (over 1 MB).
    big_shared = "<sst>" + "<si><t>a</t></si>" * 120000 + "</sst>"
    put("xlsx", "lying_size.xlsx", lie_about_size(book(shared=big_shared),
                                                  "xl/sharedStrings.xml", 100))
    # ... and one that claims more than it holds (a short read, caught by the CRC or size).
    put("xlsx", "lying_size_short.xlsx", lie_about_size(book(), "xl/worksheets/sheet1.xml",
                                                        3000000))
    # A finding: one cell at column XFD on each of 2,000 rows made read_sheet() hold 1.5 GB.
    far = "".join('<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(1, 2001))
    put("xlsx", "far_cells_2000_rows.xlsx",
        book(sheet="<worksheet><sheetData>" + far + "</sheetData></worksheet>"))
    good = book()
    put("xlsx", "truncated.xlsx", good[: len(good) // 2])
    # The workbook's "encrypted" flag (general purpose bit 0).
    put("xlsx", "encrypted_flag.xlsx", patch_member(good, "xl/workbook.xml", 6, 8, "<H", 1))
    put("xlsx", "old_xls.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    put("xlsx", "html_table.xls", "<html><table><tr><td>姓名</td></tr></table></html>")


# ---- JSON ------------------------------------------------------------------------------------
def json_seeds():
    put("json", "event.json",
        '{"title":"路灯损坏","category":"infra.light","org":"530621101001001","lat":27.19,'
        '"lng":103.55,"urgency":"urgent","people_affected":3,"photos":[1,2]}')
    put("json", "types.json", '{"a":true,"b":null,"c":-12,"d":1.5e3,"e":"\\u4e2d\\ud83d\\ude00",'
        '"f":[],"g":{},"h":18446744073709551615,"i":-9223372036854775808}')
    put("json", "deep_ok.json", "[" * 32 + "]" * 32)
    put("json", "too_deep.json", "[" * 33 + "]" * 33)
    put("json", "deep_in_string.json", '{"x":"' + "[" * 100 + '"}')
    put("json", "big_numbers.json", '{"n":1e400,"m":-1e400,"k":123456789012345678901234567890}')
    put("json", "lone_surrogate.json", '{"s":"\\ud800"}')
    put("json", "invalid_utf8.json", b'{"s":"\xc3\x28"}')
    put("json", "not_object.json", '["a",1]')
    put("json", "trailing.json", '{"a":1} x')
    put("json", "empty.json", "")


# ---- Query strings ---------------------------------------------------------------------------
def query_seeds():
    put("query", "residents.txt", "org=530621101001&tag=%E4%BD%8E%E4%BF%9D&tag=dibao&color=red"
        "&age_min=60&age_max=200&q=%E5%BC%A0+%E4%B8%89&page=2&size=50")
    put("query", "numbers.txt", "a=-9223372036854775809&b=1e309&c=NaN&d=0x1F&e=1.5&f=true&g=0")
    put("query", "bad_escape.txt", "a=%zz&b=%4")
    put("query", "not_utf8.txt", "q=%FF%FE&r=%C0%AF")
    put("query", "nul.txt", "q=%00&=&&&x")
    put("query", "cookie.txt", 'wangge_session="abc"; lang=en; =x; y')
    put("query", "accept_language.txt", "en-US,en;q=0.9,zh;q=0.8")


# ---- Filters, forms, categories, Open311 -----------------------------------------------------
def filter_seeds():
    filters = [
        "低保对象 and 人员状态 = '在册' and 年龄 >= 60",
        "事件大类 = 'dispute' and 事件状态 in ('办结', '结案') and 当前层级 <= 2",
        "not (残疾人 or 低保对象) and 年龄 < 18",
        "年龄 ≥ 18 and 年龄 ≠ 30 and 年龄 <> 31",
        "户风险颜色 = “红”",
        "((((((((((年龄 > 1))))))))))",
        "年龄 >= 'abc'",
        "不存在的字段 = 1",
        "人员状态 = '不存在的选项'",
        "年龄 in ()",
        "and or not",
        "'unclosed",
    ]
    for i, f in enumerate(filters):
        put("filter", "%02d.txt" % i, f)


def form_seeds():
    for name in ("dibao.toml", "dibao_roster.toml", "events.toml"):
        with open(os.path.join(SOURCE, "data", "forms", name), "rb") as f:
            put("form", name, f.read())
    put("form", "bad_toml.toml", 'title = "x\n[[indicator]\n')
    put("form", "ratio_loop.toml", 'title = "t"\ndepartment = "d"\n[[indicator]]\ncode = "a"\n'
        'name = "甲"\naggregate = "ratio"\nnumerator = "a"\ndenominator = "a"\n')
    put("form", "deep_arrays.toml", "x = " + "[" * 300 + "]" * 300 + "\n")


def categories_seeds():
    with open(os.path.join(SOURCE, "data", "events", "categories.toml"), "rb") as f:
        put("categories", "shipped.toml", f.read())
    put("categories", "parent_after.toml", '[[category]]\ncode="a.b"\nname="乙"\nparent="a"\n'
        '[[category]]\ncode="a"\nname="甲"\n')
    put("categories", "bad_types.toml", '[[category]]\ncode=1\nname="甲"\npublic="yes"\nsla=3\n')
    put("categories", "not_array.toml", 'category = "x"\n')


def open311_seeds():
    put("open311", "point.txt", "api_key=k&service_code=infra.water&lat=27.19&long=103.55"
        "&description=%E6%BC%8F%E6%B0%B4&attribute[people_affected]=3&attribute[damage]=minor"
        "&media_url=https%3A%2F%2Fexample.org%2Fa.jpg&email=a%40b.cn&first_name=%E5%BC%A0")
    put("open311", "address.txt", "service_code=env&address_string=%E9%B2%81%E7%94%B8%E5%8E%BF")
    put("open311", "bad.txt", "service_code=env&lat=1e999&long=nan&attribute[x]=y&email=a%20b")
    put("open311", "lat_only.txt", "service_code=env&lat=27")


if __name__ == "__main__":
    csv_seeds()
    xlsx_seeds()
    json_seeds()
    query_seeds()
    filter_seeds()
    form_seeds()
    categories_seeds()
    open311_seeds()
