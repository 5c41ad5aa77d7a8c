import Testing
@testable import TimelineBuilder

/// SVG media are parsed as XML and refused when they could run code or fetch anything.
@Suite struct SVGCheckTests {
    func refusal(_ svg: String) -> String? {
        do {
            _ = try ImageInfo.svg(Array(svg.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    let open = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">"

    @Test func aPlainDrawingPasses() {
        #expect(refusal(open + "<defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" width=\"5\" height=\"5\"/>"
                        + "<use href=\"#g\"/><style>rect { fill: red }</style></svg>") == nil)
    }

    @Test func codeAndOutsideReferencesAreRefusedWithTheirPlace() {
        let cases: [(String, String)] = [
            (open + "\n<script>alert(1)</script></svg>", "line 2"),
            (open + "<SCRIPT>alert(1)</SCRIPT></svg>", "<script>"),
            (open + "<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\"/></svg>", "<script>"),
            (open + "<rect onload=\"alert(1)\"/></svg>", "event handler 'onload'"),
            (open + "<rect OnClick=\"x()\"/></svg>", "event handler 'OnClick'"),
            (open + "<foreignObject><div/></foreignObject></svg>", "<foreignObject>"),
            (open + "<image href=\"https://example.org/x.png\"/></svg>", "outside the file"),
            (open + "<a xlink:href=\"javascript:alert(1)\"/></svg>", "outside the file"),
            (open + "<rect fill=\"url(https://example.org/p.svg#x)\"/></svg>", "outside the file"),
            (open + "<style>@import url(x.css);</style></svg>", "imports another file"),
            (open + "<style><![CDATA[ rect { background: url('http://x/y') } ]]></style></svg>", "outside the file"),
            ("<!DOCTYPE svg [<!ENTITY x \"y\">]>" + open + "&x;</svg>", "entit"),
            ("<html><svg/></html>", "root element is <html>"),
            (open + "<rect></svg>", "not well-formed"),
            // Tricks around the checks above: a style split by a comment or CDATA, escapes,
            // other fetching functions, animated references.
            (open + "<style>rect { background: u<!-- -->rl(http://x/y) }</style></svg>", "outside the file"),
            (open + "<style>@im<![CDATA[port]]> 'x.css';</style></svg>", "imports another file"),
            (open + "<style>rect { background: \\75 rl(http://x/y) }</style></svg>", "CSS escape"),
            (open + "<rect style=\"fill: \\75 rl(http://x)\"/></svg>", "CSS escape"),
            (open + "<style>rect { background: image-set('http://x/y.png' 1x) }</style></svg>", "image-set("),
            (open + "<a href=\"#a\"><set attributeName=\"href\" to=\"javascript:alert(1)\"/></a></svg>", "changes 'href'"),
            (open + "<a><animate attributeName=\"xlink:href\" values=\"https://x\"/></a></svg>", "changes 'href'"),
            (open + "<rect><set attributeName=\"onclick\" to=\"x()\"/></rect></svg>", "changes 'onclick'"),
        ]
        for (svg, words) in cases {
            let message = refusal(svg)
            #expect(message?.contains(words) == true, "\(svg.suffix(60)): \(message ?? "accepted")")
        }
        // Substrings inside text are not code: only parsed elements and attributes count.
        #expect(refusal(open + "<title>How onload and &lt;script&gt; look</title></svg>") == nil)
        // Ordinary animation passes.
        #expect(refusal(open + "<rect><animate attributeName=\"opacity\" from=\"0\" to=\"1\" dur=\"1s\"/></rect></svg>") == nil)
    }
}
