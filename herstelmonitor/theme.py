"""The dashboard's colours, in one place (after the Rijkshuisstijl palette). Charts, maps and the printable
summary take their colours from here; a signal is drawn in one colour everywhere.

Text colours keep a contrast of at least 4.5:1 on white (WCAG 2.1 AA), graphics at least 3:1.
"""
RGB = tuple[int, int, int]

BLAUW = "#154273"        # the main series, headings of the printable summary
ORANJE = "#e17000"
GROEN = "#39870c"
ROBIJN = "#a90061"
OLIJF = "#777c00"
HEMELBLAUW = "#01689b"
GRIJSBLAUW = "#8fa3bf"   # a comparison (peer group)
GRIJS = "#7f7f7f"        # a neutral series (registrations)
SIGNAAL = "#d52b1e"      # an achtervang signal, a signal threshold, a forecast that misses its date (5:1 on white)
RASTER = "#e6e6e6"       # grid lines
MARKERING = "#555555"    # event lines on time axes
TEKST = "#333333"        # small text in charts

SERIES = (BLAUW, ORANJE, GROEN, ROBIJN, GRIJSBLAUW, OLIJF, HEMELBLAUW)  # lines in order


def rgb(hex_colour: str) -> RGB:
    """'#154273' -> (21, 66, 115), for pydeck."""
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


# Maps: a gemeente with a signal, one expected to get one soon, one without.
KAART_SIGNAAL: RGB = rgb(SIGNAAL)
KAART_VROEG: RGB = (253, 190, 90)
KAART_GEEN_SIGNAAL: RGB = (222, 230, 238)
# With a filter on the Achtervang page: a gemeente whose signal is outside the filter, a provincie outside it.
KAART_ANDER: RGB = (190, 190, 190)
KAART_BUITEN: RGB = (245, 245, 245)
