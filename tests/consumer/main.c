/* Prints what the generated UPS-MIB tables say, for the test to check. */
#include <stdio.h>

#include "ups-mib.h"

int main(void)
{
	const struct mibc_module_desc *m = &ups_mib_module;
	if (!mibc_module_abi_ok(m))
		return 1;
	printf("module %s revision %s\n", m->name, m->last_updated);
	printf("upsBatteryStatus %s", ups_mib_ups_battery_status_desc.name);
	for (size_t i = 0; i < UPS_MIB_UPS_BATTERY_STATUS_OID_LEN; i++)
		printf("%c%u", i ? '.' : ' ', (unsigned)ups_mib_ups_battery_status_oid[i]);
	printf("\nstatus 2 is %s\n", ups_mib_ups_battery_status_name(UPS_MIB_UPS_BATTERY_STATUS_BATTERY_NORMAL));
	const uint32_t oid[] = { UPS_MIB_UPS_BATTERY_STATUS_OID, 0 };
	const struct mibc_object_desc *found =
		mibc_module_find_object(m, oid, sizeof(oid) / sizeof(oid[0]));
	printf("instance .0 belongs to %s\n", found ? found->name : "nothing");
	return 0;
}
