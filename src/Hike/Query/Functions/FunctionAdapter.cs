using System.Reflection;
using Hike.Edn;

namespace Hike.Query.Functions;

/// <summary>
/// Turns any delegate (<c>Func&lt;long, bool&gt;</c>, <c>Func&lt;string, string, int&gt;</c>, ...) into the
/// query calling convention, converting integral arguments to the parameter types it declares.
/// </summary>
internal static class FunctionAdapter
{
    public static Func<object?[], object?> Adapt(Delegate d)
    {
        if (d is Func<object?[], object?> direct) return direct;
        var parameters = d.Method.GetParameters();
        return args =>
        {
            if (args.Length != parameters.Length)
            {
                throw Errors.QueryWhere($"Wrong number of args ({args.Length}) passed to a function taking {parameters.Length}");
            }
            var converted = new object?[args.Length];
            for (int i = 0; i < args.Length; i++) converted[i] = Convert(args[i], parameters[i].ParameterType);
            try
            {
                return Normalize(d.DynamicInvoke(converted));
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        };
    }

    private static object? Convert(object? value, Type type)
    {
        if (value is null || type.IsInstanceOfType(value)) return value;
        if (Numbers.IsIntegral(value) && (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal)))
        {
            return System.Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
        }
        return value;
    }

    /// <summary>Results come back in Hike's value types: small integers as longs, floats as doubles.</summary>
    private static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        float f => (double)f,
        _ => value,
    };
}
