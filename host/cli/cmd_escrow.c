/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"
int cmd_escrow(cli_args *a) { (void)a; return cli_fail("escrow: not yet"); }
