using System.Reflection;

namespace Hike.Api;

/// <summary>The assemblies that provide backends the engine does not carry (stores, remote writers), loaded when a config first names one.</summary>
internal static class BackendAssemblies
{
    /// <summary>Loads <paramref name="assemblyName"/>; a config error naming the package when the application does not reference it.</summary>
    public static Assembly Load(string assemblyName, string backend)
    {
        try
        {
            return Assembly.Load(assemblyName);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw Errors.Config($"The {backend} backend needs the {assemblyName} package: add a reference to it");
        }
    }
}
