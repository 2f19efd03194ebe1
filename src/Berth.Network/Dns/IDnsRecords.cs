using System.Net;

namespace Berth.Network.Dns;

/// <summary>
/// What one container's embedded DNS server knows, implemented by the daemon for each container it serves.
/// <para>
/// Every member is called for each query, from several threads at once (queries are served concurrently),
/// so implementations must be thread-safe. They are synchronous and sit on the query path: answer from
/// memory, never block on I/O. Because they are read per query, changes (a container joining the network,
/// a new alias, other upstreams) take effect on the next query without restarting the server.
/// An exception thrown by any member makes that query fail with SERVFAIL; the server keeps running.
/// </para>
/// </summary>
public interface IDnsRecords
{
    /// <summary>
    /// The addresses of the containers the querying container can reach by <paramref name="name"/> (container
    /// name, network alias, hostname, ID prefix…, as the daemon decides). All of them are answered, in an order
    /// shuffled per query, so several containers behind one alias share the load.
    /// <para>
    /// <paramref name="name"/> is ASCII lower-case, without a trailing dot, in <see cref="DnsName"/> text form
    /// (bytes that are not printable ASCII appear escaped as <c>\DDD</c>, so such names match nothing).
    /// It is never empty. Return IPv4 addresses; IPv6 ones, if any, are answered to AAAA queries.
    /// </para>
    /// <para>
    /// An empty list means "not ours": the query goes to <see cref="Upstreams"/>. A name with addresses of one
    /// family only gets an empty NOERROR answer for the other family (as dockerd: AAAA of a v4-only container).
    /// </para>
    /// </summary>
    IReadOnlyList<IPAddress> LookupName(string name);

    /// <summary>
    /// The name to answer a PTR query for <paramref name="address"/> with (for example <c>c1.mynet</c>, no trailing
    /// dot needed), or null when the address is not one the querying container knows; the query is then forwarded.
    /// Called for full <c>in-addr.arpa</c> and <c>ip6.arpa</c> names only.
    /// </summary>
    string? LookupAddress(IPAddress address);

    /// <summary>
    /// The resolvers to forward every other query to, tried in order (each gets about two seconds over UDP before
    /// the next is tried). Forwarding sockets are opened in the namespace of the process serving, that is the
    /// host's, so these are the host's resolvers and loopback ones (127.0.0.53) work. Empty: such queries get
    /// SERVFAIL at once.
    /// </summary>
    IReadOnlyList<IPEndPoint> Upstreams { get; }
}
