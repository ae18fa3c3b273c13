"""Organisations: groups, government bodies, companies, schools, foundations.

Sources, in order of trust, each a module of its own:

1. :mod:`.units`: the telecom groups of ``data/groups.json`` under any of
   their names, and their named units (中国移动研究院, 联通华盛通信有限公司:
   group word + name + unit suffix) as subsidiaries; :mod:`.national`: the
   central government bodies by full or short name;
2. :mod:`.suffix_names`: names ending in an organisation suffix (大学, 基金会,
   委员会, 有限公司, ...) whose left edge (:mod:`.left_edge`) is found on jieba
   token boundaries, stopping at verbs, prepositions and punctuation; weak
   suffixes (部, 局, 中心, ...) need more evidence (a dictionary word, a place or
   国家/国务院 in front);
3. :mod:`.dictionary`: jieba's own dictionary of organisation names (POS
   ``nt``), which ships with the library, for names without a suffix (国资委,
   青基会);
4. :mod:`.lists`: items of 、-lists of organisations; :mod:`.latin`: Latin
   names that report or give awards, and bracketed abbreviations.

Unnamed organisations (当地政府, 3,000余个重要医院) are rejected: the part
before the suffix must not be made only of generic words. The word lists are
``data/org_lexicon.json`` (:mod:`.lexicon`); :mod:`.finder` holds the
``kg_organizations`` component that runs the rules.
"""

from extractors.organizations.finder import OrganizationFinder, make_organizations
from extractors.organizations.publisher import publisher_mention

__all__ = ["OrganizationFinder", "make_organizations", "publisher_mention"]
