"""Reads a Yitu collection with QGIS's own OGC API - Features provider (OAPIF) and prints what QGIS saw as JSON.

Usage: python3 qgis-oapif.py BASE_URL COLLECTION MINX MINY MAXX MAXY
Run by server/ogc/qgis.test.ts with Debian's python3-qgis; no network beyond BASE_URL.
"""
import json
import os
import sys

os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
from qgis.core import QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer  # noqa: E402

base, collection = sys.argv[1], sys.argv[2]
rect = QgsRectangle(*(float(v) for v in sys.argv[3:7]))
QgsApplication.setPrefixPath('/usr', True)
app = QgsApplication([], False)
app.initQgis()

layer = QgsVectorLayer(f"url='{base}' typename='{collection}' restrictToRequestBBOX='1'", collection, 'OAPIF')
out = {'valid': layer.isValid()}
if layer.isValid():
    def features(request):
        return [
            {'attributes': {f.name(): (None if a is None or str(type(a)) == "<class 'PyQt5.QtCore.QVariant'>" else str(a)) for f, a in zip(layer.fields(), feat.attributes())},
             'wkt': feat.geometry().asWkt(6)}
            for feat in layer.getFeatures(request)
        ]
    out.update({
        'crs': layer.crs().authid(),
        'featureCount': layer.featureCount(),
        'wkbType': int(layer.wkbType()),
        'fields': [[f.name(), f.typeName()] for f in layer.fields()],
    })
    # The spatial request first: once QGIS has read a whole small layer it filters its own cache.
    out['inRect'] = features(QgsFeatureRequest().setFilterRect(rect))
    out['all'] = features(QgsFeatureRequest())
print(json.dumps(out, ensure_ascii=False), flush=True)
# QGIS 3.22 crashes tearing down a provider after exitQgis(); the answer is printed, so leave at once.
os._exit(0)
