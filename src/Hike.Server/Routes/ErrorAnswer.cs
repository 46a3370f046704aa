using Hike.Edn;
using Hike.Server.Formats;
using Microsoft.AspNetCore.Http;

namespace Hike.Server.Routes;

/// <summary>
/// A failed request's answer, as Datahike's server gives it: <c>{:msg … :ex-data {:type code}}</c> in the
/// answer's format, with a status that says whose mistake it was (<see cref="ServerErrors.StatusOf"/>).
/// An exception that is not Hike's is the server's failure, and its message is not sent.
/// </summary>
internal static class ErrorAnswer
{
    private static readonly Keyword MsgKey = Keyword.Intern("msg");
    private static readonly Keyword ExDataKey = Keyword.Intern("ex-data");
    private static readonly Keyword TypeKey = Keyword.Intern("type");

    public static async Task WriteAsync(HttpResponse response, WireFormat format, Exception e)
    {
        var code = e is HikeException h ? h.Code : ServerErrorCodes.Internal;
        var message = e is HikeException ? e.Message : $"The server failed: {e.GetType().Name}";
        response.StatusCode = ServerErrors.StatusOf(e);
        response.ContentType = format.MediaType;
        await response.Body.WriteAsync(format.Write(EdnMap.Of(MsgKey, message, ExDataKey, EdnMap.Of(TypeKey, Keyword.Intern(code))))).ConfigureAwait(false);
    }

    /// <summary>The format the answer should be in: the first of <c>Accept</c>'s that the server speaks, else null.</summary>
    public static WireFormat? Accepted(HttpRequest request) =>
        request.Headers.Accept.SelectMany(a => (a ?? "").Split(',')).Select(WireFormat.Of).FirstOrDefault(f => f is not null);
}
