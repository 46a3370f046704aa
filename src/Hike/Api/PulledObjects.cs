using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// A pulled entity as the CLR type <see cref="Database.Pull{T}(object, object, CancellationToken)"/> asks for: the map
/// filled into a record or class by name (<see cref="ObjectShapes"/>: <c>:person/first-name</c> fills
/// <c>FirstName</c>, or the member a <see cref="HikeAttributeAttribute"/> names it on), nested pulls into
/// nested types, cardinality-many values into arrays, lists and sets (<see cref="TypedValues"/>). A value
/// that does not fit is <c>pull/result-type</c>, naming the attribute.
/// </summary>
internal static class PulledObjects
{
    private static readonly Func<string, HikeException> Fail = Errors.PullResultType;

    /// <summary><paramref name="pulled"/> as a <typeparamref name="T"/>; default when nothing was pulled.</summary>
    public static T? To<T>(EdnMap? pulled, object eid) =>
        pulled is null ? default : (T?)TypedValues.To(typeof(T), pulled, $"the pull of {Errors.Show(eid)}", Fail);
}
