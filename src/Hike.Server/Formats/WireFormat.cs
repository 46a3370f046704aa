using System.Text;
using System.Text.Json;
using Hike.Edn;

namespace Hike.Server.Formats;

/// <summary>
/// A body format the server speaks: Datahike's tagged JSON (<c>application/json</c>) or EDN
/// (<c>application/edn</c>), both with the server's <see cref="Tagged"/> handles.
/// </summary>
internal abstract class WireFormat
{
    public static readonly WireFormat Json = new JsonFormat();
    public static readonly WireFormat Edn = new EdnFormat();

    /// <summary>The media type of the format.</summary>
    public abstract string MediaType { get; }

    /// <summary>
    /// Whether what it carries needs Datahike's JSON help: a first argument that is a string is EDN
    /// text, and transaction data is re-typed by the schema (<see cref="JsonTxData"/>).
    /// </summary>
    public abstract bool IsJson { get; }

    /// <summary>The value in <paramref name="body"/>; <c>server/bad-request</c> when it does not decode.</summary>
    public abstract object? Read(byte[] body);

    public abstract byte[] Write(object? value);

    /// <summary>The format a media type names (its parameters ignored), or null for one the server does not speak.</summary>
    public static WireFormat? Of(string? mediaType)
    {
        var type = mediaType?.Split(';')[0].Trim();
        return type switch
        {
            "application/json" => Json,
            "application/edn" => Edn,
            _ => null,
        };
    }

    private sealed class JsonFormat : WireFormat
    {
        public override string MediaType => "application/json";

        public override bool IsJson => true;

        public override object? Read(byte[] body)
        {
            try
            {
                return TaggedJson.Read(body);
            }
            catch (JsonException e)
            {
                throw ServerErrors.BadRequest($"The body is not JSON: {e.Message}");
            }
        }

        public override byte[] Write(object? value) => TaggedJson.Write(value);
    }

    private sealed class EdnFormat : WireFormat
    {
        public override string MediaType => "application/edn";

        public override bool IsJson => false;

        public override object? Read(byte[] body)
        {
            try
            {
                return EdnReader.Read(Encoding.UTF8.GetString(body), (tag, value) => Tagged.ServerTags.Contains(tag) ? new Tagged(tag, value) : null);
            }
            catch (EdnSyntaxException e)
            {
                throw ServerErrors.BadRequest($"The body is not EDN: {e.Message}");
            }
        }

        public override byte[] Write(object? value) => Encoding.UTF8.GetBytes(EdnPrinter.Print(value));
    }
}
