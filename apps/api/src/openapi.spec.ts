import { canonicalOpenApiJson, fallbackOperationId } from './openapi';

describe('OpenAPI document helpers', () => {
  it("a route without its own operationId is named <controller><Method>, not Nest's Controller_method", () => {
    expect(fallbackOperationId('AuditLogController', 'events')).toBe('auditLogEvents');
    expect(fallbackOperationId('MeController', 'accept')).toBe('meAccept');
    expect(fallbackOperationId('', 'list')).toBe('list');
  });

  it('the exported document sorts keys at every level, keeps array order, and ends with a newline', () => {
    const a = canonicalOpenApiJson({
      paths: { '/b': { get: 1 }, '/a': { post: 2, get: 3 } },
      info: { x: [2, 1] },
    });
    const b = canonicalOpenApiJson({
      info: { x: [2, 1] },
      paths: { '/a': { get: 3, post: 2 }, '/b': { get: 1 } },
    });
    expect(a).toBe(b);
    expect(a).toBe(
      '{\n  "info": {\n    "x": [\n      2,\n      1\n    ]\n  },\n  "paths": {\n    "/a": {\n      "get": 3,\n' +
        '      "post": 2\n    },\n    "/b": {\n      "get": 1\n    }\n  }\n}\n',
    );
  });
});
