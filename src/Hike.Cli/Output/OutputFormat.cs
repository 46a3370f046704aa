namespace Hike.Cli.Output;

/// <summary>How results are printed: <c>edn</c> as Datahike's <c>pr-str</c>, <c>json</c>, <c>pprint</c> (EDN over several lines), <c>table</c>.</summary>
internal enum OutputFormat
{
    Edn,
    Json,
    Pprint,
    Table,
}
