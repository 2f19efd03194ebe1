using System.Text.Json.Serialization;

namespace Berth.Runtime;

[JsonSerializable(typeof(List<int>))]
internal sealed partial class RuntimeJson : JsonSerializerContext;
