// Tests never reach the network: only loopback (the sandbox, supertest, local databases).
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

// nock patches `http` for the whole process; restore it after each file so one file's interceptors
// never answer another file's requests.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
