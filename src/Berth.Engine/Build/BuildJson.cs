using System.Text.Json.Serialization;

namespace Berth.Engine.Build;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BuildJson : JsonSerializerContext;
