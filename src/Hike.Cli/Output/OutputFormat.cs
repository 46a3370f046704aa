namespace Hike.Cli.Output;

/// <summary>How results are printed: <c>edn</c> as Datahike's <c>pr-str</c>, <c>json</c>, <c>pprint</c> (EDN over several lines), <c>table</c>, <c>cbor</c> (bytes with Datahike's tags, as dthk's <c>-f cbor</c>).</summary>
internal enum OutputFormat
{
    Edn,
    Json,
    Pprint,
    Table,
    Cbor,
}
