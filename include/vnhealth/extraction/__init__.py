"""Reading indicator values out of report text, in the observation contract.

Modules: `numbers` (the number grammar), `periods` and `areas` (resolvers), `catalogue` (the
indicator phrasings), `extractor` (sentences → observations), `tables` (statistical tables).
"""

from vnhealth.extraction.extractor import EXTRACTOR_VERSION, Observation, extract_text

__all__ = ["EXTRACTOR_VERSION", "Observation", "extract_text"]
