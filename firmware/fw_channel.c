/* SPDX-License-Identifier: Apache-2.0 */
/* What a channel holds in each module, dropped at a logout and at the
 * channel's end (connection closed, HELLO). */
#include "fw.h"

void fw_logout_channel(unsigned chan)
{
    fw_token_set_login(chan, SG_LOGIN_NONE);
    fw_keycache_clear(); /* loaded keys go with any logout */
    fw_skeys_logout(chan); /* and the private halves of its session keys */
}

void fw_channel_closed(unsigned chan)
{
    fw_logout_channel(chan);
    fw_authz_drop(chan);
    fw_skeys_drop(chan); /* its session keys end with it */
}
