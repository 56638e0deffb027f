# SPDX-License-Identifier: Apache-2.0
"""The S/MIME corpus generator (test/vectors/gen_smime.py runs main.main).

The package is the `g` of the case modules of smime_cases/: it holds every
name of its modules, as the one-file generator did."""
from .paths import *  # noqa: F401,F403
from .der import *  # noqa: F401,F403
from .oids import *  # noqa: F401,F403
from .ecdsa import *  # noqa: F401,F403
from .keys import *  # noqa: F401,F403
from .names import *  # noqa: F401,F403
from .exts import *  # noqa: F401,F403
from .certs import *  # noqa: F401,F403
from .profiles import *  # noqa: F401,F403
from .cases import *  # noqa: F401,F403
from .cases_valid import *  # noqa: F401,F403
from .cases_der import *  # noqa: F401,F403
from .cases_tbs import *  # noqa: F401,F403
from .cases_exts import *  # noqa: F401,F403
from .cases_names import *  # noqa: F401,F403
from .rules import *  # noqa: F401,F403
from .main import *  # noqa: F401,F403
