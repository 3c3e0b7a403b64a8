package io.campanile.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The parts of a pom.xml the deploy checks need. */
record Pom(
        String artifactId,
        List<String> modules,
        Map<String, String> properties,
        Map<String, Map<String, String>> profileProperties,
        List<Dependency> dependencies,
        List<String> plugins) {

    record Dependency(String groupId, String artifactId, String scope) {
        boolean isTest() {
            return "test".equals(scope);
        }
    }

    static Pom read(Path file) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Element project = doc.getDocumentElement();
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        for (Element profile : children(child(project, "profiles"), "profile")) {
            profiles.put(text(child(profile, "id")), properties(child(profile, "properties")));
        }
        List<Dependency> deps = new ArrayList<>();
        for (Element d : children(child(project, "dependencies"), "dependency")) {
            deps.add(new Dependency(text(child(d, "groupId")), text(child(d, "artifactId")), text(child(d, "scope"))));
        }
        List<String> plugins = new ArrayList<>();
        for (Element p : children(child(child(project, "build"), "plugins"), "plugin")) {
            plugins.add(text(child(p, "artifactId")));
        }
        List<String> modules = new ArrayList<>();
        for (Element m : children(child(project, "modules"), "module")) {
            modules.add(text(m));
        }
        return new Pom(
                text(child(project, "artifactId")),
                modules,
                properties(child(project, "properties")),
                profiles,
                deps,
                plugins);
    }

    private static Map<String, String> properties(Element props) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element e : children(props, null)) {
            out.put(e.getTagName(), text(e));
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
