"""FHIR R4 export of Alongside data, built with the R4B models of fhir.resources.

One module per kind of data (``measures`` for questionnaires). Functions take model
instances and return fhir.resources objects; they do not check access, so callers must
obtain the instances through the owning app's selectors.
"""
