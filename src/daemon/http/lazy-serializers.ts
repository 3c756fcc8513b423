import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = SerializerSelector.SerializerFactory;
type Serializer = SerializerSelector.Serializer;

/**
 * fastify's own response serializers (fast-json-stringify), each built when its route first answers
 * with that status rather than when the server starts. A daemon has about ninety routes, most of
 * which a kiosk never calls: building every serializer up front cost a third of a second of CPU at
 * each start (medians of six starts each, interleaved: 2.55 s → 2.23 s to `moodbox ready` on a
 * 2-core AMD EPYC). A schema that cannot be built now fails when its route first answers with
 * that status, not at the start. What each serializer writes is unchanged.
 */
export function lazySerializers(build: SerializerFactory = SerializerSelector()): SerializerFactory {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let serialize: Serializer | undefined;
      return (doc: unknown) => (serialize ??= compile(route))(doc);
    };
  };
}
