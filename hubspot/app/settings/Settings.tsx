import { Text, hubspot } from '@hubspot/ui-extensions';

// Placeholder entry, replaced by the settings page.
hubspot.extend<'settings'>(() => <Text>Pillars settings</Text>);
