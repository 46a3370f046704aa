namespace Hike.Api;

/// <summary>Names the <see cref="IWriterBackend"/> an assembly provides; <see cref="WriterBackends"/> reads it when it loads the assembly.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class WriterBackendAttribute(Type backend) : Attribute
{
    /// <summary>A type with a parameterless constructor that implements <see cref="IWriterBackend"/>.</summary>
    public Type Backend { get; } = backend;
}
