namespace Berth.Images.Archive;

/// <summary>A layer or archive that is malformed or tries to write outside its root.</summary>
public sealed class LayerFormatException(string message, Exception? inner = null) : Exception(message, inner);
