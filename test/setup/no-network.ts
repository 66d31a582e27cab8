// Tests never reach the network: only loopback (the sandbox, supertest, local databases).
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
